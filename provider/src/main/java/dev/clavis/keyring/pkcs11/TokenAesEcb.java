package dev.clavis.keyring.pkcs11;

import dev.clavis.engine.kw.BlockCipher128;
import dev.clavis.engine.kw.MultiBlockCipher128;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Session;
import dev.clavis.pkcs11.TokenKeyWrap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * AES on a token, as engine/kw's block cipher: each block, or all lanes of one multi-lane step,
 * goes to the token's {@code CKM_AES_ECB} under the KEK in one {@code C_Encrypt}/{@code C_Decrypt}
 * (n lanes: one call of n×16 bytes, not n calls). The KEK never leaves the token. Bound to one
 * session for the duration of one wrap or unwrap; not thread-safe.
 *
 * <p>engine/kw's interfaces throw no checked exceptions, so a token failure leaves as a
 * {@link TokenFailure} carrying the {@link Pkcs11Exception}, which {@link TokenRfcWrap} unpacks.
 */
final class TokenAesEcb implements BlockCipher128, MultiBlockCipher128 {

  private static final int BLOCK = 16;
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final Session session;
  private final long kek;
  private final boolean encrypt;
  private final byte[] block = new byte[BLOCK];
  private long hi;
  private long lo;

  TokenAesEcb(Session session, long kek, boolean encrypt) {
    this.session = session;
    this.kek = kek;
    this.encrypt = encrypt;
  }

  /**
   * {@inheritDoc}
   *
   * @throws TokenFailure if the token refuses or fails
   */
  @Override
  public void process(long h, long l) {
    LONG_BE.set(block, 0, h);
    LONG_BE.set(block, 8, l);
    byte[] out = onToken(block);
    hi = (long) LONG_BE.get(out, 0);
    lo = (long) LONG_BE.get(out, 8);
    Arrays.fill(out, (byte) 0);
  }

  @Override
  public long hi() {
    return hi;
  }

  @Override
  public long lo() {
    return lo;
  }

  /**
   * {@inheritDoc}
   *
   * @throws TokenFailure if the token refuses or fails
   */
  @Override
  public void processBlocks(byte[] in, byte[] out, int count) {
    int len = Math.multiplyExact(count, BLOCK);
    // the lanes' own array when it holds exactly these blocks: no further copy of them on the heap
    byte[] blocks = in.length == len ? in : Arrays.copyOf(in, len);
    byte[] result = null;
    try {
      result = onToken(blocks);
      System.arraycopy(result, 0, out, 0, len);
    } finally {
      if (blocks != in) {
        Arrays.fill(blocks, (byte) 0);
      }
      if (result != null) {
        Arrays.fill(result, (byte) 0);
      }
    }
  }

  private byte[] onToken(byte[] blocks) {
    try {
      return TokenKeyWrap.ecb(session, encrypt, kek, blocks);
    } catch (Pkcs11Exception e) {
      throw new TokenFailure(e);
    }
  }

  @Override
  public void clear() {
    Arrays.fill(block, (byte) 0);
    hi = 0;
    lo = 0;
  }

  @Override
  public String toString() {
    return "TokenAesEcb[" + (encrypt ? "encrypt" : "decrypt") + "]";
  }

  /** A token failure inside engine/kw, unpacked by the caller into its {@link Pkcs11Exception}. */
  static final class TokenFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TokenFailure(Pkcs11Exception cause) {
      super(cause.getMessage(), cause, false, false);
    }

    @Override
    public synchronized Pkcs11Exception getCause() {
      return (Pkcs11Exception) super.getCause();
    }
  }
}
