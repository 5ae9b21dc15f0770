package io.facecast.renderer.viseme;

/** Preston Blair mouth shapes (as used in classic 2D lip-sync) plus X, the rest pose, with their target poses. */
public enum MouthShape {
    /** M, B, P: lips pressed together. */
    A(new MouthParams(0.0, 0.45, 0.05)),
    /** Most consonants (K, S, T, ...) and EE: teeth nearly together, slightly open. */
    B(new MouthParams(0.22, 0.65, 0.0)),
    /** EH, AE and similar open vowels. */
    C(new MouthParams(0.55, 0.7, 0.0)),
    /** AA, AY: wide open. */
    D(new MouthParams(0.9, 0.72, 0.05)),
    /** AO, OW: open and rounded. */
    E(new MouthParams(0.6, 0.35, 0.7)),
    /** UW, W, OY: puckered. */
    F(new MouthParams(0.25, 0.2, 1.0)),
    /** F, V: lower lip under the upper teeth. */
    G(new MouthParams(0.12, 0.55, 0.0)),
    /** L: tongue behind the teeth, mouth open. */
    H(new MouthParams(0.4, 0.6, 0.0)),
    /** Rest / silence: closed and relaxed. */
    X(MouthParams.CLOSED);

    public final MouthParams pose;

    MouthShape(MouthParams pose) {
        this.pose = pose;
    }
}
