package dev.clavis.cli;

import dev.clavis.keyring.HdDerivation;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Managed HD keys: {@code import-seed NAME} (a BIP32 seed as an entry of the store) and
 * {@code derive-key NAME --path P | --purpose --account --change --index} (a managed secp256k1
 * key of its own, derived from the seed). {@code create NAME --algorithm HD-SEED} makes a random
 * seed; {@code sign CHILD} signs with a derived key.
 */
final class HdCommands {

  private HdCommands() {}

  /** @return the JSON (and the text line) of a derived key's origin and public key, or null for another key */
  static Map<String, Object> derivation(Keyring ring, KeyInfo k) {
    if (k.algorithm() != KeyAlgorithm.SECP256K1 || k.metadata().derivation().isEmpty()) {
      return null;
    }
    HdDerivation d = k.metadata().derivation().get();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seed", d.seedRef().toString());
    m.put("path", d.path());
    try {
      m.put("publicKey", HexFormat.of().formatHex(ring.hdPublicKey(KeyRef.of(k.name()))));
    } catch (IllegalStateException destroyed) {
      m.put("publicKey", null);
    }
    return m;
  }

  /** {@code import-seed NAME --seed-file FILE | --seed-hex -}. */
  @Command(name = "import-seed", description = {"store a BIP32 seed (16 to 64 bytes as hex digits) as an HD seed entry"})
  static final class ImportSeed extends CliCommand {
    @Parameters(paramLabel = "NAME", description = {"the new seed entry"})
    String name;

    @Option(names = "--seed-hex", paramLabel = "-", order = 1,
        description = {"'-': read the seed's hex digits from stdin (never from the command line)"})
    String seedHex;

    @Option(names = "--seed-file", paramLabel = "FILE", order = 2, description = {"read the seed's hex digits from FILE"})
    String seedFile;

    @Option(names = "--exportable", order = 3, description = {"allow exporting the seed (off by default)"})
    boolean exportable;

    @Override
    int run(Context ctx) throws IOException {
      String n = LifecycleCommands.name(name);
      if (seedHex != null && !seedHex.equals("-")) {
        throw CliException.usage("--seed-hex takes '-' (stdin): a seed on the command line is visible to every user");
      }
      if ((seedHex == null) == (seedFile == null)) {
        throw CliException.usage("import-seed needs the seed from --seed-hex - (stdin) or --seed-file FILE");
      }
      byte[] seed = DeriveCommand.seed(seedFile == null ? ctx.in().readAllBytes() : DeriveCommand.readFile(Path.of(seedFile)));
      try {
        KeyInfo k = ctx.keyring().importSeed(n, seed, KeyPolicy.builder().exportable(exportable).build());
        ctx.result("imported " + k.name() + "#1 " + k.algorithm() + " " + k.latest().state(), KeyCommands.created(k));
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      } finally {
        Arrays.fill(seed, (byte) 0);
      }
      return 0;
    }
  }

  /** {@code derive-key SEED (--path P | --purpose N --account N --change N --index N) [--name CHILD]}. */
  @Command(name = "derive-key", description = {"derive a managed secp256k1 key from an HD seed entry: by --path, or BIP44",
      "levels (--purpose [--coin-type] --account --change --index, all hardened: m/44'/0'/0'/0'/5'); it signs SHA256withECDSA with 'sign'"})
  static final class DeriveKey extends CliCommand {
    @Parameters(paramLabel = "SEED", description = {"the HD seed entry"})
    String seed;

    @Option(names = "--path", paramLabel = "PATH", order = 1, description = {"the BIP32 path, e.g. m/44'/0'/0'/0'/5'"})
    String path;

    @Option(names = "--purpose", paramLabel = "N", order = 2, description = {"BIP44 purpose (e.g. 44)"})
    Integer purpose;

    @Option(names = "--coin-type", paramLabel = "N", order = 3, description = {"SLIP-44 coin type (default 0, Bitcoin)"})
    int coinType;

    @Option(names = "--account", paramLabel = "N", order = 3, description = {"BIP44 account"})
    Integer account;

    @Option(names = "--change", paramLabel = "N", order = 4, description = {"BIP44 change (0 external, 1 internal)"})
    Integer change;

    @Option(names = "--index", paramLabel = "N", order = 5, description = {"BIP44 address index"})
    Integer index;

    @Option(names = "--name", paramLabel = "NAME", order = 6,
        description = {"the new key's name (default SEED/44h/0h/0h/0h/5h)"})
    String child;

    @Option(names = "--exportable", order = 7, description = {"allow exporting the derived key (off by default)"})
    boolean exportable;

    @Override
    int run(Context ctx) {
      String s = LifecycleCommands.name(seed);
      boolean levels = purpose != null || account != null || change != null || index != null;
      if ((path == null) == !levels) {
        throw CliException.usage("derive-key needs --path PATH or all of --purpose, --account, --change, --index");
      }
      if (levels && (purpose == null || account == null || change == null || index == null)) {
        throw CliException.usage("BIP44 derivation needs all of --purpose, --account, --change and --index");
      }
      KeyPolicy policy = KeyPolicy.builder().exportable(exportable).build();
      KeyInfo k;
      try {
        k = path != null ? ctx.keyring().deriveKey(s, path, child, policy)
            : ctx.keyring().deriveKey(s, purpose, coinType, account, change, index, child, policy);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
      Map<String, Object> json = KeyCommands.created(k);
      Map<String, Object> d = derivation(ctx.keyring(), k);
      json.putAll(d);
      ctx.result("derived " + k.name() + "#1 " + k.algorithm() + " " + k.latest().state() + " from " + d.get("seed")
          + " at " + d.get("path") + "  public key " + d.get("publicKey"), json);
      return 0;
    }
  }
}
