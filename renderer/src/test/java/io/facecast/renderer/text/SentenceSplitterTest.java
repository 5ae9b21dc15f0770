package io.facecast.renderer.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SentenceSplitterTest {
    @Test
    void splitsAtSentencePunctuationAndLineBreaks() {
        assertEquals(List.of("Hello there.", "How are you?", "Fine!", "Next line", "and more…"),
                SentenceSplitter.split("Hello there. How are you?  Fine!\nNext line\n\nand more…"));
    }

    @Test
    void keepsAbbreviationsInitialsDecimalsAndQuotesTogether() {
        assertEquals(List.of("Dr. Smith met Mr. J. Doe at 3.30 p.m. today, e.g. at noon.", "\"Really?\" she asked."),
                SentenceSplitter.split("Dr. Smith met Mr. J. Doe at 3.30 p.m. today, e.g. at noon. \"Really?\" she asked."));
    }

    @Test
    void cutsOverlongSentencesAtACommaOrSpace() {
        String clause = "this clause goes on and on without a full stop";
        String text = String.join(", ", List.of(clause, clause, clause, clause, clause, clause, clause, clause));
        List<String> parts = SentenceSplitter.split(text);
        assertTrue(parts.size() > 1, parts.toString());
        for (String p : parts) {
            assertTrue(p.length() <= SentenceSplitter.MAX_CHARS, p);
        }
        assertTrue(parts.get(0).endsWith(","), "cut after a comma: " + parts.get(0));
        assertEquals(text.replace(" ", ""), String.join("", parts).replace(" ", ""), "nothing lost");

        List<String> words = SentenceSplitter.split("word ".repeat(200));
        assertTrue(words.size() > 1 && words.stream().allMatch(p -> p.length() <= SentenceSplitter.MAX_CHARS));
    }

    @Test
    void punctuationOnlyPiecesJoinANeighbour() {
        assertEquals(List.of("... Hello."), SentenceSplitter.split("... Hello."));
        assertEquals(List.of("Hello. ?!"), SentenceSplitter.split("Hello. ?!"));
        assertEquals(List.of(), SentenceSplitter.split("   "));
    }
}
