package dev.clavis.keyring.file;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.file.MasterKeyProtector.Kind;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The protector parameters recorded in a store header: the {@link Kind}, for a password the KDF
 * and its salt, for a token root the 16-byte id of the root key. Immutable (arrays are copied).
 */
public final class ProtectorParameters {

  /** The prefix of the label and {@code CKA_ID} of a token root key ({@code clavis-root:<hex id>}). */
  public static final String TOKEN_ROOT_PREFIX = "clavis-root:";

  private final Kind kind;
  private final KdfParameters kdf; // null for a token root
  private final byte[] id;

  private ProtectorParameters(Kind kind, KdfParameters kdf, byte[] id) {
    this.kind = kind;
    this.kdf = kdf;
    this.id = id.clone();
  }

  /**
   * The parameters of a password-protected store.
   *
   * @param kdf the KDF and its parameters
   * @param salt the KDF's salt
   * @return a password's parameters
   * @throws NullPointerException if an argument is null
   */
  public static ProtectorParameters password(KdfParameters kdf, byte[] salt) {
    return new ProtectorParameters(Kind.PASSWORD, Objects.requireNonNull(kdf, "kdf"), salt);
  }

  /**
   * The parameters of a store whose master key a token root wraps.
   *
   * @param rootId the 16-byte id of the root key on the token
   * @return a token root's parameters
   * @throws NullPointerException if {@code rootId} is null
   */
  public static ProtectorParameters tokenRoot(byte[] rootId) {
    return new ProtectorParameters(Kind.TOKEN_ROOT, null, rootId);
  }

  /**
   * The label of a token root key.
   *
   * @param rootId the root key's id
   * @return the label (and {@code CKA_ID}) of the token root key with this id
   */
  public static String tokenRootLabel(byte[] rootId) {
    return TOKEN_ROOT_PREFIX + HexFormat.of().formatHex(rootId);
  }

  /** @return the kind of protection */
  public Kind kind() {
    return kind;
  }

  /** @return the password KDF, or empty for a token root */
  public Optional<KdfParameters> kdf() {
    return Optional.ofNullable(kdf);
  }

  /** @return the salt (password) or the root key's id (token root), a copy */
  public byte[] id() {
    return id.clone();
  }

  int idLength() {
    return id.length;
  }

  @Override
  public String toString() {
    return kind == Kind.PASSWORD ? kdf.toString() : "PKCS#11 token key " + tokenRootLabel(id) + " (no password KDF)";
  }
}
