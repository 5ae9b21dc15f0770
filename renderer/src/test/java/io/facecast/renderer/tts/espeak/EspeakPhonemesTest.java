package io.facecast.renderer.tts.espeak;

import io.facecast.renderer.viseme.MouthShape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EspeakPhonemesTest {
    @Test
    void englishMnemonicsGetTheirMouthShapes() {
        // "Hello world, this is a test." as espeak-ng en-us spells it: h @@ l oU w 3: l d _: D I s I z a# t E s t _:
        assertEquals(MouthShape.B, EspeakPhonemes.shapeOf("h"));
        assertEquals(MouthShape.B, EspeakPhonemes.shapeOf("@@"), "r-coloured schwa: teeth nearly together");
        assertEquals(MouthShape.H, EspeakPhonemes.shapeOf("l"));
        assertEquals(MouthShape.E, EspeakPhonemes.shapeOf("oU"), "the 'o' of hello is open and rounded");
        assertEquals(MouthShape.F, EspeakPhonemes.shapeOf("w"));
        assertEquals(MouthShape.B, EspeakPhonemes.shapeOf("3:"));
        assertEquals(MouthShape.X, EspeakPhonemes.shapeOf("_:"), "pauses close the mouth");
        assertEquals(MouthShape.X, EspeakPhonemes.shapeOf("_"));
        assertEquals(MouthShape.B, EspeakPhonemes.shapeOf("D"), "'th' of this");
        assertEquals(MouthShape.C, EspeakPhonemes.shapeOf("E"));
        assertEquals(MouthShape.D, EspeakPhonemes.shapeOf("aI"), "'i' of time is wide open");
        assertEquals(MouthShape.D, EspeakPhonemes.shapeOf("A:"));
        assertEquals(MouthShape.F, EspeakPhonemes.shapeOf("u:"));
        assertEquals(MouthShape.A, EspeakPhonemes.shapeOf("m"));
        assertEquals(MouthShape.A, EspeakPhonemes.shapeOf("b"));
        assertEquals(MouthShape.A, EspeakPhonemes.shapeOf("p"));
        assertEquals(MouthShape.G, EspeakPhonemes.shapeOf("f"));
        assertEquals(MouthShape.G, EspeakPhonemes.shapeOf("v"));
        assertEquals(MouthShape.B, EspeakPhonemes.shapeOf("S"), "'sh'");
        assertEquals(MouthShape.B, EspeakPhonemes.shapeOf("tS"), "'ch'");
    }

    @Test
    void otherLanguagesFallBackOnLengthMarksAndFirstLetters() {
        assertEquals(EspeakPhonemes.toArpabet("a"), EspeakPhonemes.toArpabet("a:"), "length marks are ignored");
        assertEquals(MouthShape.F, EspeakPhonemes.shapeOf("y:"), "German long ü is rounded");
        assertEquals(MouthShape.F, EspeakPhonemes.shapeOf("Y"));
        assertEquals(MouthShape.E, EspeakPhonemes.shapeOf("o:"));
        assertEquals(MouthShape.B, EspeakPhonemes.shapeOf("i:"));
        assertEquals(MouthShape.B, EspeakPhonemes.shapeOf("C"), "ich-Laut");
        assertEquals(MouthShape.A, EspeakPhonemes.shapeOf("pf"));
        assertEquals(MouthShape.A, EspeakPhonemes.shapeOf("m2"), "variant digits are ignored");
        assertEquals(MouthShape.C, EspeakPhonemes.shapeOf("e~"), "unlisted vowels go by their first letter");
        assertEquals(MouthShape.B, EspeakPhonemes.shapeOf("q"), "unknown consonants: the neutral talking shape");
        assertEquals("pau", EspeakPhonemes.toArpabet(""));
    }
}
