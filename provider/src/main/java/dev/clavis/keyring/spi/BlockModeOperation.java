package dev.clavis.keyring.spi;

import java.security.GeneralSecurityException;

/**
 * One AES-CBC (PKCS#5 padding) or AES-CTR operation (NIST SP 800-38A) with a version's material,
 * used like {@link javax.crypto.Cipher} between {@code init} and {@code doFinal}. These modes have
 * no integrity check: they exist for data migrated from PKCS12/JCEKS key stores.
 */
public interface BlockModeOperation {

  /** The legacy AES modes a backend may offer. */
  enum Mode {
    /** {@code AES/CBC/PKCS5Padding}: SP 800-38A §6.2 with PKCS#5/#7 padding. */
    CBC_PKCS5("AES/CBC/PKCS5Padding"),
    /** {@code AES/CTR/NoPadding}: SP 800-38A §6.5, a 128-bit big-endian counter block. */
    CTR("AES/CTR/NoPadding");

    private final String transformation;

    Mode(String transformation) {
      this.transformation = transformation;
    }

    /** @return the JCA transformation of the mode */
    public String transformation() {
      return transformation;
    }
  }

  /**
   * @param inputLength bytes of input still to come
   * @return the output buffer size an {@link #update} or {@link #doFinal} of that many bytes may need
   */
  int outputSize(int inputLength);

  /**
   * Processes more input.
   *
   * @param in the input buffer
   * @param offset where the input starts
   * @param length how many bytes
   * @return the output produced so far (maybe empty)
   */
  byte[] update(byte[] in, int offset, int length);

  /**
   * Ends the operation.
   *
   * @param in the last input
   * @param offset where it starts
   * @param length how many bytes
   * @return the rest of the output
   * @throws javax.crypto.BadPaddingException if CBC decryption finds bad padding
   * @throws javax.crypto.IllegalBlockSizeException if CBC decryption input is not whole blocks
   * @throws GeneralSecurityException if the backend fails
   */
  byte[] doFinal(byte[] in, int offset, int length) throws GeneralSecurityException;
}
