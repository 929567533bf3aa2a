package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyringException;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Template;
import java.util.ArrayList;
import java.util.List;

/**
 * When a keyring opens on a token: a pending key pair ({@code clavis-pending:*}, {@link
 * TokenGeneratedKeyPair}) that this process is not making and whose private key may sign is a
 * leftover (a process killed during the pair's own self-signature, a failed reset, or a build
 * before pending pairs started with {@code CKA_SIGN} false). Its {@code CKA_SIGN} is forced false
 * and the shortened labels are logged, so an operator can delete the objects; nothing is destroyed,
 * since another process may still be about to claim its pair.
 */
final class TokenPendingSweep {

  private static final System.Logger LOG = System.getLogger("dev.clavis.keyring.pkcs11");

  private TokenPendingSweep() {}

  /**
   * @return the shortened labels of the pending private keys whose signing was switched off
   *     (empty also when the token refused: that is logged, and opening goes on)
   */
  static List<String> forbidLeftoverSigning(TokenKeyBackend backend) {
    List<String> off;
    try {
      off = backend.call("switch signing off on leftover pending key pairs", s -> {
        List<String> out = new ArrayList<>();
        Template off1 = Template.builder().bool(CKA.SIGN, false).build();
        for (long h : s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.PRIVATE_KEY).bool(CKA.SIGN, true).build())) {
          String label;
          try {
            label = s.getAttributes(h, CKA.LABEL).string(CKA.LABEL).orElse("");
          } catch (Pkcs11Exception e) {
            if (e.isHandleStale()) {
              continue; // destroyed between the search and the read
            }
            throw e;
          }
          if (label.startsWith(TokenGeneratedKeyPair.LABEL_PREFIX) && !TokenGeneratedKeyPair.isPendingHere(label)) {
            s.setAttributes(h, off1);
            out.add(TokenGeneratedKeyPair.shorten(label));
          }
        }
        return out;
      });
    } catch (KeyringException e) {
      LOG.log(System.Logger.Level.WARNING, "could not check " + backend.describe() + " for leftover pending key pairs"
          + " that may sign: " + e.getMessage());
      return List.of();
    }
    if (!off.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "switched CKA_SIGN off on " + off.size() + " leftover pending key pair(s) on "
          + backend.describe() + " " + off + ": left by a process that ended during a key-pair generation or by an older"
          + " build; delete the clavis-pending:* objects no process is using");
    }
    return off;
  }
}
