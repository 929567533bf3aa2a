package dev.clavis.pkcs11;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.clavis.pkcs11.raw.CK_ATTRIBUTE;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An attribute template ({@code CK_ATTRIBUTE[]}, PKCS#11 v2.40 §4) with typed setters. Values are
 * encoded when added: {@code CK_BBOOL} as one byte, {@code CK_ULONG} in the platform's size and
 * byte order, strings as UTF-8. A template holding secret values (such as {@code CKA_VALUE}) is
 * wiped with {@link #wipe()}; its native copies are zeroed after each call.
 */
public final class Template {

  private final long[] types;
  private final byte[][] values;
  /** Whether a value is a secret ({@code CKA_VALUE}): such a template is never cached natively. */
  private final boolean secret;
  private volatile Native shared;

  private Template(List<Long> types, List<byte[]> values) {
    this.types = types.stream().mapToLong(Long::longValue).toArray();
    this.values = values.toArray(new byte[0][]);
    boolean hasValue = false;
    for (long t : this.types) {
      hasValue |= t == CKA.VALUE;
    }
    this.secret = hasValue;
  }

  /**
   * @return the native form for one call: a template without secrets builds it once and shares
   *     it (templates are immutable and modules only read them); one with a {@code CKA_VALUE}
   *     gets a fresh copy that is zeroed when the call closes it
   */
  Native nativeForm() {
    if (secret) {
      return new Native(this);
    }
    Native n = shared;
    if (n == null) {
      n = new Native(this, true);
      shared = n;
    }
    return n;
  }

  /** @return an empty builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the number of attributes */
  public int size() {
    return types.length;
  }

  /** Zeroes every value this template holds. */
  public void wipe() {
    for (byte[] v : values) {
      Arrays.fill(v, (byte) 0);
    }
  }

  /** @return the attribute types, for messages */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Template[");
    for (int i = 0; i < types.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(CKA.name(types[i]));
    }
    return sb.append(']').toString();
  }

  /** The native form of a template for one call; {@link #close()} zeroes and frees it. */
  static final class Native implements AutoCloseable {
    final CK_ATTRIBUTE[] array;
    private final Memory values;
    private final boolean cached;

    Native(Template t) {
      this(t, false);
    }

    /**
     * @param cached built once for a template without secrets and shared by every call: the
     *     structures are written now and never synchronised again (the module only reads them)
     */
    Native(Template t, boolean cached) {
      this.cached = cached;
      if (t.types.length == 0) {
        array = null;
        values = null;
        return;
      }
      long total = 0;
      for (byte[] v : t.values) {
        total += Math.max(1, v.length);
      }
      values = new Memory(total);
      array = (CK_ATTRIBUTE[]) new CK_ATTRIBUTE().toArray(t.types.length);
      long off = 0;
      for (int i = 0; i < t.types.length; i++) {
        byte[] v = t.values[i];
        Pointer p = values.share(off);
        p.write(0, v, 0, v.length);
        array[i].type = Ulong.of(t.types[i]);
        array[i].pValue = v.length == 0 ? null : p;
        array[i].ulValueLen = Ulong.of(v.length);
        off += Math.max(1, v.length);
      }
      if (cached) {
        for (CK_ATTRIBUTE a : array) {
          a.write();
          a.setAutoSynch(false);
        }
      }
    }

    com.sun.jna.NativeLong count() {
      return Ulong.of(array == null ? 0 : array.length);
    }

    @Override
    public void close() {
      if (values != null && !cached) {
        values.clear();
        values.close();
      }
    }
  }

  /** Collects attributes in order; each setter copies its argument. */
  public static final class Builder {
    private final List<Long> types = new ArrayList<>();
    private final List<byte[]> values = new ArrayList<>();

    private Builder() {}

    /** Adds a {@code CK_BBOOL} attribute. */
    public Builder bool(long type, boolean value) {
      return bytes(type, new byte[] {(byte) (value ? 1 : 0)});
    }

    /** Adds a {@code CK_ULONG} attribute (classes, key types, lengths). */
    public Builder ulong(long type, long value) {
      return bytes(type, Ulong.encode(value));
    }

    /** Adds a UTF-8 string attribute such as {@code CKA_LABEL}. */
    public Builder string(long type, String value) {
      return bytes(type, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a byte-array attribute; the array is copied. */
    public Builder bytes(long type, byte[] value) {
      types.add(type);
      values.add(value.clone());
      return this;
    }

    /** @return the template */
    public Template build() {
      return new Template(types, values);
    }
  }
}
