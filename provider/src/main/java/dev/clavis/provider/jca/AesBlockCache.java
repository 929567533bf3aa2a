package dev.clavis.provider.jca;

import dev.clavis.engine.kw.JdkAesBlock;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchProviderException;
import java.security.ProviderException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;

/**
 * The keyed AES block functions behind the key-wrap ciphers: one {@code AES/ECB/NoPadding}
 * SunJCE cipher per thread and direction, shared by the KW/KWP ciphers of one provider instance.
 *
 * <p>Why: {@code Cipher.getInstance} of the inner ECB cipher costs more than a whole 256-bit key
 * wrap, so a fresh one per KW cipher would double the cost of the common
 * {@code getInstance + init + wrap} pattern. Each KW/KWP {@code init} binds the thread's cipher
 * to its KEK: one key schedule per init, none at all when the thread's cipher already holds that
 * KEK (compared in constant time). Each binding carries a token; a KW cipher whose token is no
 * longer current (another KW cipher on the thread was initialised since, or it moved to another
 * thread) falls back to a private ECB cipher of its own, so correctness never depends on the
 * sharing.
 *
 * <p>What stays in memory: like any initialised {@code Cipher}, a thread's ECB cipher keeps the
 * schedule of the last KEK used on that thread, and the cache a copy of that KEK to recognise it,
 * until an {@code init} with another KEK on that thread re-keys it.
 */
public final class AesBlockCache {

  private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);

  /** Creates an empty cache; the provider makes one for all its key-wrap ciphers. */
  public AesBlockCache() {}

  /**
   * Keys the calling thread's ECB cipher for {@code kek} in one direction and stamps it with
   * {@code token}.
   *
   * @return the thread's slot, which {@link Slot#bound} answers for this token until re-keyed
   */
  Slot bind(byte[] kek, boolean decrypt, Object token) {
    Slot slot = slots.get();
    slot.bind(kek, decrypt, token);
    return slot;
  }

  /**
   * Creates and keys an ECB cipher for one KW/KWP cipher alone.
   *
   * @throws ProviderException if the JDK offers no AES/ECB/NoPadding
   */
  static JdkAesBlock privateBlock(byte[] kek, boolean decrypt) {
    JdkAesBlock block = new JdkAesBlock(newEcb());
    key(block.cipher(), kek, decrypt);
    return block;
  }

  /** One thread's ciphers. Only the thread that created it reads or writes its mutable fields. */
  static final class Slot {
    private final Thread owner = Thread.currentThread();
    private final Direction encrypt = new Direction(false);
    private final Direction decrypt = new Direction(true);

    /**
     * Returns the block function stamped with {@code token}, or null if this slot belongs to
     * another thread or was re-keyed since.
     */
    JdkAesBlock bound(Object token, boolean decrypting) {
      if (Thread.currentThread() != owner) {
        return null;
      }
      Direction d = decrypting ? decrypt : encrypt;
      return d.token == token ? d.block : null;
    }

    private void bind(byte[] kek, boolean decrypting, Object token) {
      (decrypting ? decrypt : encrypt).bind(kek, token);
    }
  }

  /** One direction of a thread's AES: the ECB cipher, the KEK it holds and the current token. */
  private static final class Direction {
    private final boolean decrypt;
    private JdkAesBlock block;
    /**
     * The KEK the cipher is keyed with. It adds nothing to what the keyed cipher already holds
     * (the first AES round keys are the key itself) and lets a re-init with the same KEK skip
     * {@code Cipher.init}. Overwritten when another KEK is bound.
     */
    private byte[] key;
    private Object token;

    Direction(boolean decrypt) {
      this.decrypt = decrypt;
    }

    void bind(byte[] kek, Object newToken) {
      token = null;
      // Constant-time comparison: the cached KEK must not leak through timing.
      if (block == null || key == null || !MessageDigest.isEqual(key, kek)) {
        if (block == null) {
          block = new JdkAesBlock(newEcb());
        }
        if (key != null) {
          Arrays.fill(key, (byte) 0);
          key = null;
        }
        key(block.cipher(), kek, decrypt);
        key = kek.clone();
      }
      token = newToken;
    }
  }

  private static Cipher newEcb() {
    try {
      // SunJCE by name: its AES is the one HotSpot intrinsifies with AES-NI.
      return Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
    } catch (NoSuchProviderException e) {
      try {
        return Cipher.getInstance("AES/ECB/NoPadding");
      } catch (GeneralSecurityException e2) {
        throw new ProviderException("no AES/ECB/NoPadding cipher in this JDK", e2);
      }
    } catch (GeneralSecurityException e) {
      throw new ProviderException("SunJCE offers no AES/ECB/NoPadding", e);
    }
  }

  private static void key(Cipher ecb, byte[] kek, boolean decrypt) {
    RawAesKey key = new RawAesKey(kek);
    try {
      ecb.init(decrypt ? Cipher.DECRYPT_MODE : Cipher.ENCRYPT_MODE, key);
    } catch (GeneralSecurityException e) {
      // The SPI has validated the KEK length already; this is a JDK configuration problem.
      throw new ProviderException("the JDK's AES refused a " + kek.length * 8 + "-bit key", e);
    } finally {
      key.wipe();
    }
  }

  /**
   * A transient AES key over a private copy of the KEK, handed to the inner ECB cipher only;
   * {@code SecretKeySpec} cannot be wiped on JDK 17.
   */
  private static final class RawAesKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    RawAesKey(byte[] kek) {
      this.bytes = kek.clone();
    }

    @Override
    public String getAlgorithm() {
      return "AES";
    }

    @Override
    public String getFormat() {
      return "RAW";
    }

    @Override
    public byte[] getEncoded() {
      return bytes.clone();
    }

    void wipe() {
      Arrays.fill(bytes, (byte) 0);
    }

    /** Key material never goes into a serialised stream. */
    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
      throw new java.io.NotSerializableException("RawAesKey");
    }

    @Override
    public String toString() {
      return "RawAesKey[AES, " + bytes.length * 8 + " bits]";
    }
  }
}
