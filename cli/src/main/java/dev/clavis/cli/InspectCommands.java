package dev.clavis.cli;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.UnknownKeyException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code list} and {@code show}: what is in the store, as text or JSON. */
final class InspectCommands {

  private InspectCommands() {}

  /** {@code list [--all]}. */
  @Command(name = "list", description = {"list the keys (JSON: an array, one object per key with its versions);"
      + " keys with a version pending destruction are marked with the date"})
  static final class ListKeys extends CliCommand {
    @Option(names = "--all", description = {"also the keys scheduled for destruction and the destroyed ones, with their state"})
    boolean all;

    @Override
    int run(Context ctx) {
      List<KeyInfo> live = ctx.keyring().list();
      Set<String> listed = new HashSet<>();
      live.forEach(k -> listed.add(k.name()));
      List<KeyInfo> keys = all ? ctx.keyring().listAll() : live;
      if (ctx.json()) {
        List<Object> arr = new ArrayList<>();
        for (KeyInfo k : keys) {
          Map<String, Object> m = KeyView.json(k);
          m.put("state", KeyView.keyState(k, listed.contains(k.name())));
          arr.add(m);
        }
        ctx.out().println(Json.write(arr));
      } else {
        KeyView.table(ctx.out(), keys, listed);
      }
      return 0;
    }
  }

  /** {@code show NAME}. */
  @Command(name = "show", description = {"show a key, its policy and every version"})
  static final class Show extends CliCommand {
    @Parameters(paramLabel = "NAME", description = {"the key"})
    String name;

    @Override
    int run(Context ctx) {
      String n = LifecycleCommands.name(name);
      KeyInfo k = ctx.keyring().find(n).orElseThrow(() -> new UnknownKeyException(KeyRef.of(n)));
      boolean pair = k.algorithm().kind() != dev.clavis.keyring.KeyAlgorithm.Kind.SECRET_KEY;
      if (ctx.json()) {
        java.util.Map<String, Object> m = KeyView.json(k);
        if (pair) {
          m.put("certificates", PairCommands.certificates(ctx.keyring(), k));
        }
        java.util.Map<String, Object> hd = HdCommands.derivation(ctx.keyring(), k);
        if (hd != null) {
          m.put("derivation", hd);
        }
        ctx.out().println(Json.write(m));
      } else {
        KeyView.details(ctx.out(), k);
        java.util.Map<String, Object> hd = HdCommands.derivation(ctx.keyring(), k);
        if (hd != null) {
          ctx.out().println("derived from " + hd.get("seed") + " at " + hd.get("path") + "  public key " + hd.get("publicKey"));
        }
        if (pair) {
          for (java.util.Map<String, Object> c : PairCommands.certificates(ctx.keyring(), k)) {
            ctx.out().println("certificate #" + c.get("version") + "  subject " + c.get("subject") + "  issuer "
                + c.get("issuer") + "  expires " + c.get("notAfter"));
          }
        }
      }
      return 0;
    }
  }
}
