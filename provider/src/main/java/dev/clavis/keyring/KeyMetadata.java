package dev.clavis.keyring;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a key is for, as its operators describe it: a purpose, a description, tags ({@code K=V})
 * and the source that created it ({@code cli}, {@code api}, …). Never secret, never used by any
 * check: it is shown by {@code show}/{@code list}, kept in the store and offered as KeyStore entry
 * attributes ({@code clavis.purpose}, {@code clavis.tag.K}). Immutable; build with {@link #builder()}.
 * The one field a check reads is {@link #derivation()}: an HD key's seed and path, set when the
 * key is derived and never changed afterwards.
 */
public final class KeyMetadata {

  /** The longest purpose, in characters. */
  public static final int MAX_PURPOSE = 256;
  /** The longest description, in characters. */
  public static final int MAX_DESCRIPTION = 2048;
  /** The most tags a key carries. */
  public static final int MAX_TAGS = 64;
  /** The longest tag value, in characters. */
  public static final int MAX_TAG_VALUE = 256;

  /** Tag keys: letters, digits, dot, dash, underscore, 1 to 64; they become attribute names. */
  private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern SOURCE = Pattern.compile("[a-z0-9-]{1,32}");
  private static final KeyMetadata EMPTY = builder().build();

  private final String purpose;
  private final String description;
  private final Map<String, String> tags;
  private final String source;
  private final HdDerivation derivation;

  private KeyMetadata(Builder b) {
    this.purpose = b.purpose;
    this.description = b.description;
    this.tags = Collections.unmodifiableMap(new TreeMap<>(b.tags));
    this.source = b.source;
    this.derivation = b.derivation;
  }

  /** @return metadata with nothing set (what keys created before metadata existed read as) */
  public static KeyMetadata empty() {
    return EMPTY;
  }

  /** @return a builder with nothing set */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder holding this metadata */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.purpose = purpose;
    b.description = description;
    b.tags.putAll(tags);
    b.source = source;
    b.derivation = derivation;
    return b;
  }

  /** @return what the key is for, e.g. "payments database columns" */
  public Optional<String> purpose() {
    return Optional.ofNullable(purpose);
  }

  /** @return free text about the key */
  public Optional<String> description() {
    return Optional.ofNullable(description);
  }

  /** @return the tags, sorted by key, unmodifiable */
  public Map<String, String> tags() {
    return tags;
  }

  /** @return what created the key ({@code cli}, {@code api}, …); empty for keys made before it was recorded */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  /** @return the seed, seed version and BIP32 path of an HD key ({@link KeyAlgorithm#SECP256K1}); empty for other keys */
  public Optional<HdDerivation> derivation() {
    return Optional.ofNullable(derivation);
  }

  /** @return whether nothing is set */
  public boolean isEmpty() {
    return purpose == null && description == null && tags.isEmpty() && source == null && derivation == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyMetadata m && Objects.equals(purpose, m.purpose)
        && Objects.equals(description, m.description) && tags.equals(m.tags) && Objects.equals(source, m.source)
        && Objects.equals(derivation, m.derivation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(purpose, description, tags, source, derivation);
  }

  @Override
  public String toString() {
    return "KeyMetadata{purpose=" + purpose + ", description=" + description + ", tags=" + tags + ", source="
        + source + (derivation == null ? "" : ", derivation=" + derivation) + "}";
  }

  /** Builds {@link KeyMetadata}; every setter validates its argument. */
  public static final class Builder {
    private String purpose;
    private String description;
    private final Map<String, String> tags = new TreeMap<>();
    private String source;
    private HdDerivation derivation;

    private Builder() {}

    /**
     * @param text the purpose, or null to clear it
     * @return this builder
     * @throws IllegalArgumentException if it is blank, longer than {@link #MAX_PURPOSE} or holds a control character
     */
    public Builder purpose(String text) {
      this.purpose = text(text, "purpose", MAX_PURPOSE);
      return this;
    }

    /**
     * @param text the description, or null to clear it
     * @return this builder
     * @throws IllegalArgumentException if it is blank, longer than {@link #MAX_DESCRIPTION} or holds a control character
     */
    public Builder description(String text) {
      this.description = text(text, "description", MAX_DESCRIPTION);
      return this;
    }

    /**
     * Sets (or replaces) one tag.
     *
     * @param key letters, digits, {@code . _ -}, 1 to 64
     * @param value up to {@link #MAX_TAG_VALUE} characters, no control characters (may be empty)
     * @return this builder
     * @throws IllegalArgumentException for a malformed key or value, or more than {@link #MAX_TAGS} tags
     */
    public Builder tag(String key, String value) {
      if (key == null || !TAG_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("tag key '" + key + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
      }
      Objects.requireNonNull(value, "tag value");
      if (value.length() > MAX_TAG_VALUE || hasControl(value)) {
        throw new IllegalArgumentException("tag " + key + ": the value must be at most " + MAX_TAG_VALUE
            + " characters without control characters");
      }
      if (!tags.containsKey(key) && tags.size() >= MAX_TAGS) {
        throw new IllegalArgumentException("a key carries at most " + MAX_TAGS + " tags");
      }
      tags.put(key, value);
      return this;
    }

    /**
     * @param key the tag to remove (absent: nothing happens)
     * @return this builder
     */
    public Builder removeTag(String key) {
      tags.remove(key);
      return this;
    }

    /**
     * @param name what created the key: lower-case letters, digits, '-', 1 to 32; null for unknown
     * @return this builder
     * @throws IllegalArgumentException if the name is malformed
     */
    public Builder source(String name) {
      if (name != null && !SOURCE.matcher(name).matches()) {
        throw new IllegalArgumentException("creation source '" + name + "' must be 1 to 32 of a-z, 0-9, '-'");
      }
      this.source = name;
      return this;
    }

    /**
     * @param d where an HD key comes from, or null for none (the keyring sets it when it derives
     *     a key and keeps it through every later change of the metadata)
     * @return this builder
     */
    public Builder derivation(HdDerivation d) {
      this.derivation = d;
      return this;
    }

    /** @return the metadata */
    public KeyMetadata build() {
      return new KeyMetadata(this);
    }

    private static String text(String t, String what, int max) {
      if (t == null) {
        return null;
      }
      if (t.isBlank() || t.length() > max || hasControl(t)) {
        throw new IllegalArgumentException("the " + what + " must be 1 to " + max
            + " characters, not blank, without control characters");
      }
      return t;
    }

    private static boolean hasControl(String t) {
      return t.chars().anyMatch(Character::isISOControl);
    }
  }
}
