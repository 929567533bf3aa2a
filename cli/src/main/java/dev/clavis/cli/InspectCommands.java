package dev.clavis.cli;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.UnknownKeyException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code list} and {@code show}: what is in the store, as text or JSON. */
final class InspectCommands {

  private InspectCommands() {}

  /** {@code list}. */
  @Command(name = "list", description = {"list the keys (JSON: an array, one object per key with its versions)"})
  static final class ListKeys extends CliCommand {
    @Override
    int run(Context ctx) {
      List<KeyInfo> keys = ctx.keyring().list();
      if (ctx.json()) {
        List<Object> arr = new ArrayList<>();
        for (KeyInfo k : keys) {
          arr.add(KeyView.json(k));
        }
        ctx.out().println(Json.write(arr));
      } else {
        KeyView.table(ctx.out(), keys);
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
        ctx.out().println(Json.write(m));
      } else {
        KeyView.details(ctx.out(), k);
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
