package dev.clavis.cli;

import dev.clavis.keyring.Approval;
import dev.clavis.keyring.ApprovalRequest;
import dev.clavis.keyring.CustodianKey;
import dev.clavis.keyring.CustodianQuorum;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.QuorumRequiredException;
import dev.clavis.keyring.spi.OwnerOnlyFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Dual control from the command line: {@code custodian-key} makes a custodian's signing key,
 * {@code approve} signs a request a refused command wrote ({@code --approval-request FILE}), and
 * the files it writes are given to the command again with {@code --approvals A1,A2}. The store's
 * quorum itself is set with {@code store-policy --require-quorum M --custodians P1,P2,...}.
 */
final class QuorumCommands {

  private QuorumCommands() {}

  /** {@code custodian-key --out KEY --public-out PUB}: a new Ed25519 key sealed under the custodian's passphrase. */
  @Command(name = "custodian-key", description = {"make a custodian's signing key: the private key file (sealed under"
      + " the custodian's passphrase) and the public key file the store registers"})
  static final class MakeKey extends CliCommand {
    @Option(names = "--out", paramLabel = "FILE", required = true, order = 1, description = {"the private key file (new, 0600)"})
    String out;

    @Option(names = "--public-out", paramLabel = "FILE", required = true, order = 2,
        description = {"the public key file (new), for 'store-policy --custodians'"})
    String publicOut;

    @Option(names = "--passphrase-file", paramLabel = "FILE", order = 3,
        description = {"the custodian's passphrase (first line); else $CLAVIS_CUSTODIAN_PASSPHRASE, else a prompt"})
    String passphraseFile;

    @picocli.CommandLine.Mixin StoreCommands.KdfOptions kdf;

    @Override
    int run(Context ctx) throws IOException {
      KdfParameters k = kdf.strongEnough(ctx, kdf.spec == null ? KdfParameters.defaults() : KdfSpecs.parse(kdf.spec),
          "refusing to seal the custodian key");
      char[] pw = Passwords.forCustodian(passphraseFile, ctx.env()).read("Custodian passphrase", true);
      try (CustodianKey key = CustodianKey.generate()) {
        byte[] sealed;
        try {
          sealed = key.seal(pw, k);
        } catch (IllegalArgumentException e) {
          throw new CliException(e.getMessage());
        }
        writeNew(out, sealed, "--out");
        writeNew(publicOut, CustodianQuorum.formatPublicKey(key.publicKey()).getBytes(StandardCharsets.US_ASCII),
            "--public-out");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("custodian", key.id());
        json.put("key", out);
        json.put("public", publicOut);
        ctx.result("custodian " + key.id() + ": private key " + out + " (keep it, with its passphrase), public key "
            + publicOut + " (give it to the store's operator)", json);
        return 0;
      } finally {
        Arrays.fill(pw, '\0');
      }
    }

    @Override
    boolean printsJson() {
      return true;
    }
  }

  /** {@code approve --request REQ --custodian-key KEY --out APPROVAL}: signs a request, after showing it. */
  @Command(name = "approve", description = {"approve a request with a custodian's key: prints what is approved and"
      + " writes the approval file"})
  static final class Approve extends CliCommand {
    @Option(names = "--request", paramLabel = "FILE", required = true, order = 1,
        description = {"the request a refused command wrote (--approval-request)"})
    String request;

    @Option(names = "--custodian-key", paramLabel = "FILE", required = true, order = 2,
        description = {"the custodian's private key file (custodian-key --out)"})
    String key;

    @Option(names = "--out", paramLabel = "FILE", required = true, order = 3, description = {"the approval file (new)"})
    String out;

    @Option(names = "--passphrase-file", paramLabel = "FILE", order = 4,
        description = {"the custodian's passphrase (first line); else $CLAVIS_CUSTODIAN_PASSPHRASE, else a prompt"})
    String passphraseFile;

    @Override
    int run(Context ctx) throws IOException {
      ApprovalRequest r;
      try {
        r = ApprovalRequest.parse(new String(read(request, "--request"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new CliException("--request " + request + ": " + e.getMessage());
      }
      byte[] sealed = read(key, "--custodian-key");
      char[] pw = Passwords.forCustodian(passphraseFile, ctx.env()).read("Custodian passphrase", false);
      try (CustodianKey k = open(sealed, pw)) {
        writeNew(out, Approval.sign(r, k).format().getBytes(StandardCharsets.UTF_8), "--out");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("custodian", k.id());
        json.put("operation", r.operation());
        json.put("key", r.key());
        json.put("params", r.params());
        json.put("store", r.store());
        json.put("expires", r.expires().toString());
        json.put("request", r.digest());
        ctx.result("custodian " + k.id() + " approved " + r.operation() + " of "
            + (r.key().isEmpty() ? "the store" : r.key()) + " " + r.params() + " in store " + r.store()
            + ", valid until " + r.expires() + ": " + out, json);
        return 0;
      } finally {
        Arrays.fill(pw, '\0');
      }
    }

    private CustodianKey open(byte[] sealed, char[] pw) {
      try {
        return CustodianKey.open(sealed, pw);
      } catch (IllegalArgumentException e) {
        throw new CliException("--custodian-key " + key + ": " + e.getMessage());
      } catch (dev.clavis.keyring.WrongPasswordException e) {
        throw new CliException("--custodian-key " + key + ": " + e.getMessage());
      }
    }
  }

  /** @return the approvals of {@code --approvals}, parsed; empty if none */
  static List<Approval> approvals(String files) {
    List<Approval> out = new ArrayList<>();
    if (files == null || files.isBlank()) {
      return out;
    }
    for (String f : files.split(",")) {
      try {
        out.add(Approval.parse(new String(read(f.strip(), "--approvals"), StandardCharsets.UTF_8)));
      } catch (IllegalArgumentException e) {
        throw new CliException("--approvals " + f.strip() + ": " + e.getMessage());
      }
    }
    return out;
  }

  /** @return the custodians' public keys of {@code --custodians} */
  static List<PublicKey> custodians(String files) {
    List<PublicKey> out = new ArrayList<>();
    for (String f : files.split(",")) {
      try {
        out.add(CustodianQuorum.parsePublicKey(new String(read(f.strip(), "--custodians"), StandardCharsets.US_ASCII)));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--custodians " + f.strip() + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * A refused command's request: written to {@code --approval-request FILE} when given.
   *
   * @return the error to print
   */
  static CliException required(QuorumRequiredException e, String requestFile) {
    if (requestFile == null) {
      return new CliException(e.getMessage() + "; write the request with --approval-request FILE");
    }
    try {
      writeNew(requestFile, e.request().canonical().getBytes(StandardCharsets.UTF_8), "--approval-request");
    } catch (IOException io) {
      throw new CliException("--approval-request " + requestFile + ": " + io.getMessage());
    }
    return new CliException(e.getMessage() + "; the request is in " + requestFile + " (valid until "
        + e.request().expires() + "): rerun this command with --approvals and " + e.threshold() + " approvals of it");
  }

  static byte[] read(String file, String option) {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new CliException(option + " " + file + ": no such file");
    } catch (IOException e) {
      throw new CliException(option + " " + file + ": " + e.getMessage());
    }
  }

  /** Writes a new owner-only file, forced to disk; an existing file is never replaced. */
  static void writeNew(String file, byte[] bytes, String option) throws IOException {
    try (FileChannel ch = OwnerOnlyFiles.open(Path.of(file), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream o = Channels.newOutputStream(ch)) {
      o.write(bytes);
      o.flush();
      ch.force(true);
    } catch (FileAlreadyExistsException e) {
      throw new CliException(option + " " + file + ": the file exists; it is never replaced");
    }
  }
}
