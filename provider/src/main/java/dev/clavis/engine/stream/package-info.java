/**
 * The segmented AES-GCM streaming format (in the manner of Tink's AES-GCM-HKDF streaming AEAD):
 * a per-stream key derived with HKDF from a data key and a random salt, and segments whose nonce
 * holds the segment index and a final-segment flag, so truncation, reordering and splicing fail
 * authentication. JCA-free of Clavis: it knows byte arrays and the JDK's AES-GCM and HMAC only;
 * the wrapped data key in the header is opaque here (the keyring unwraps it). See
 * {@code docs/envelope.md}, "Streaming envelope".
 */
package dev.clavis.engine.stream;
