package dev.clavis.keyring;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/**
 * One custodian's approval of one {@link ApprovalRequest}: the custodian's id and its Ed25519
 * signature over {@code "clavis/v1/approval\n"} followed by the request's canonical text.
 *
 * <p>File format 1 (UTF-8): the line {@code clavis-approval 1}, the line {@code custodian: ID},
 * the line {@code signature: BASE64}, then the request's canonical text verbatim.
 */
public final class Approval {

  private static final String HEADER = "clavis-approval 1\n";
  private static final byte[] DOMAIN = "clavis/v1/approval\n".getBytes(StandardCharsets.US_ASCII);

  private final ApprovalRequest request;
  private final String custodian;
  private final byte[] signature;

  private Approval(ApprovalRequest request, String custodian, byte[] signature) {
    this.request = Objects.requireNonNull(request, "request");
    this.custodian = Objects.requireNonNull(custodian, "custodian");
    this.signature = signature.clone();
  }

  /**
   * @param request what is approved
   * @param custodian the custodian's key
   * @return the approval, signed
   */
  public static Approval sign(ApprovalRequest request, CustodianKey custodian) {
    byte[] sig = custodian.sign(signed(request));
    return new Approval(request, custodian.id(), sig);
  }

  /**
   * @param text an approval file's content
   * @return the approval (its signature not yet checked: the store's quorum knows the key)
   * @throws IllegalArgumentException if it is not an approval file
   */
  public static Approval parse(String text) {
    if (!text.startsWith(HEADER)) {
      throw new IllegalArgumentException("not a Clavis approval (it must start with 'clavis-approval 1')");
    }
    String rest = text.substring(HEADER.length());
    String[] two = rest.split("\n", 3);
    if (two.length < 3 || !two[0].startsWith("custodian: ") || !two[1].startsWith("signature: ")) {
      throw new IllegalArgumentException("not a Clavis approval: malformed custodian or signature line");
    }
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(two[1].substring("signature: ".length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a Clavis approval: the signature is not Base64", e);
    }
    return new Approval(ApprovalRequest.parse(two[2]), two[0].substring("custodian: ".length()), sig);
  }

  /** @return the file's content */
  public String format() {
    return HEADER + "custodian: " + custodian + "\nsignature: " + Base64.getEncoder().encodeToString(signature)
        + "\n" + request.canonical();
  }

  /**
   * @param key the custodian's public key
   * @return whether the signature is this key's over this request
   */
  public boolean verifies(PublicKey key) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(signed(request));
      return s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] signed(ApprovalRequest r) {
    byte[] c = r.canonical().getBytes(StandardCharsets.UTF_8);
    byte[] m = new byte[DOMAIN.length + c.length];
    System.arraycopy(DOMAIN, 0, m, 0, DOMAIN.length);
    System.arraycopy(c, 0, m, DOMAIN.length, c.length);
    return m;
  }

  /** @return what is approved */
  public ApprovalRequest request() {
    return request;
  }

  /** @return the approving custodian's id ({@link CustodianQuorum#id(byte[])}) */
  public String custodian() {
    return custodian;
  }

  /** @return the custodian and the request (public data) */
  @Override
  public String toString() {
    return "Approval{" + custodian + " " + request + "}";
  }
}
