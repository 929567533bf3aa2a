package dev.clavis.provider.jca;

import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.TokenInfo;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Which token a token-bound provider serves: its module and the token's label and serial number,
 * so a key its {@code KeyGenerator} made is generated on that token and no other.
 */
public final class TokenIdentity {
  private final Path library;
  private final String label;
  private final String serial;

  /**
   * @param library the PKCS#11 module
   * @param info the token, as {@code Pkcs11Token.locate} found it
   */
  public TokenIdentity(Path library, TokenInfo info) {
    this.library = Objects.requireNonNull(library, "library").toAbsolutePath().normalize();
    this.label = info.label();
    this.serial = info.serialNumber();
  }

  /** @return whether {@code token} is this token */
  boolean is(Pkcs11Token token) {
    return library.equals(token.config().library().toAbsolutePath().normalize())
        && label.equals(token.info().label()) && serial.equals(token.info().serialNumber());
  }

  /** @return the token's label and serial number */
  @Override
  public String toString() {
    return "token '" + label + "' (serial " + serial + ")";
  }
}
