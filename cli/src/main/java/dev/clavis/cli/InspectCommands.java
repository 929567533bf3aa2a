package dev.clavis.cli;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.UnknownKeyException;
import java.util.ArrayList;
import java.util.List;

/** {@code list} and {@code show}: what is in the store, as text or JSON. */
final class InspectCommands {

  private InspectCommands() {}

  static int list(Context ctx) {
    ctx.args().expectPositionals(0, 0, "list [--json]");
    List<KeyInfo> keys = ctx.keyring().list();
    if (ctx.args().flag("--json")) {
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

  static int show(Context ctx) {
    ctx.args().expectPositionals(1, 1, "show NAME [--json]");
    String name = LifecycleCommands.name(ctx.args().positionals().get(0));
    KeyInfo k = ctx.keyring().find(name).orElseThrow(() -> new UnknownKeyException(KeyRef.of(name)));
    if (ctx.args().flag("--json")) {
      ctx.out().println(Json.write(KeyView.json(k)));
    } else {
      KeyView.details(ctx.out(), k);
    }
    return 0;
  }
}
