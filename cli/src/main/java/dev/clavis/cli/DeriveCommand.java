package dev.clavis.cli;

import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.hd.ExtendedPublicKey;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.HDKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code derive --seed-hex HEX --path PATH}: a BIP32 key through the provider's {@code BIP32}
 * KeyFactory; prints the path, the {@code xprv}, the {@code xpub} and the compressed public key.
 * {@code --seed-hex -} reads the hex seed from stdin, so it stays out of the process list.
 */
final class DeriveCommand {

  private DeriveCommand() {}

  static int run(Context ctx) throws IOException, GeneralSecurityException {
    ctx.args().expectPositionals(0, 0, "derive --seed-hex HEX|- --path m/44'/0'/0'/0/0 [--json]");
    String seedHex = ctx.args().option("--seed-hex");
    String path = ctx.args().option("--path");
    if (seedHex == null || path == null) {
      throw CliException.usage("derive needs --seed-hex HEX (or - to read it from stdin) and --path, e.g. --path \"m/44'/0'/0'/0/0\"");
    }
    if (seedHex.equals("-")) {
      seedHex = new String(ctx.in().readAllBytes(), StandardCharsets.US_ASCII).strip();
    }
    byte[] seed;
    try {
      seed = HexFormat.of().parseHex(seedHex);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--seed-hex takes an even number of hex digits");
    }
    ExtendedPrivateKey xprv;
    try {
      xprv = (ExtendedPrivateKey) KeyFactory.getInstance("BIP32", new ClavisProvider())
          .generatePrivate(new HDKeySpec(seed, path));
    } catch (IllegalArgumentException | InvalidKeySpecException e) {
      throw CliException.usage("cannot derive: " + e.getMessage());
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
    try {
      ExtendedPublicKey xpub = xprv.getPublicKey();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", xprv.getPath());
      m.put("xprv", xprv.toBase58());
      m.put("xpub", xpub.toBase58());
      m.put("publicKey", HexFormat.of().formatHex(xpub.getCompressed()));
      m.put("fingerprint", String.format("%08x", xprv.getFingerprint()));
      m.put("depth", xprv.getDepth());
      if (ctx.args().flag("--json")) {
        ctx.out().println(Json.write(m));
      } else {
        for (Map.Entry<String, Object> e : m.entrySet()) {
          ctx.out().printf("%-12s %s%n", e.getKey(), e.getValue());
        }
      }
    } finally {
      xprv.destroy();
    }
    return 0;
  }
}
