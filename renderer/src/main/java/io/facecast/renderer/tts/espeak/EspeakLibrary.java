package io.facecast.renderer.tts.espeak;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The part of libespeak-ng's C API (speak_lib.h) the backend uses. Structs are read by offset (see
 * {@link EspeakSynthesizer}) rather than mapped, so nothing is allocated per event.
 */
interface EspeakLibrary extends Library {
    int AUDIO_OUTPUT_SYNCHRONOUS = 2;
    int INITIALIZE_PHONEME_EVENTS = 0x0001;
    int INITIALIZE_DONT_EXIT = 0x8000;
    int POS_CHARACTER = 1;
    int CHARS_UTF8 = 1;
    int EE_OK = 0;

    /** @return the output sample rate, or a negative error */
    int espeak_Initialize(int output, int bufLengthMs, String path, int options);

    int espeak_SetVoiceByName(String name);

    void espeak_SetSynthCallback(SynthCallback callback);

    int espeak_Synth(Pointer text, NativeLong size, int position, int positionType, int endPosition, int flags,
                     Pointer uniqueIdentifier, Pointer userData);

    int espeak_Synchronize();

    /** @return a NULL-terminated array of espeak_VOICE pointers (library-owned) */
    Pointer espeak_ListVoices(Pointer voiceSpec);

    /** {@code int cb(short *wav, int numsamples, espeak_EVENT *events)}: return 0 to go on. */
    interface SynthCallback extends Callback {
        int invoke(Pointer wav, int numSamples, Pointer events);
    }
}
