package dev.clavis.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The command table: one line a command, with its synopsis, summary and the options it takes. */
final class Commands {

  /** One command of the table. */
  static final class Entry {
    final String name;
    final String synopsis;
    final String summary;
    final Set<String> options;
    final Command command;

    Entry(String name, String synopsis, String summary, Set<String> options, Command command) {
      this.name = name;
      this.synopsis = synopsis;
      this.summary = summary;
      this.options = options;
      this.command = command;
    }
  }

  /** Options every command takes. */
  static final Set<String> GLOBAL = Set.of("--store", "--hsm", "--anchor", "--password-file", "--debug", "--verbose", "--help");

  private static final Set<String> POLICY = Set.of("--algorithm", "--rotation-period", "--usage-limit", "--lifetime",
      "--deletion-window", "--exportable");

  private static final Map<String, Entry> TABLE = new LinkedHashMap<>();

  static {
    add("init", "init [--kdf argon2id|argon2id:t=3,m=65536,p=4|pbkdf2|pbkdf2:i=600000] [--allow-weak-kdf]",
        "create a new, empty encrypted store (asks the password twice at a terminal); settings below OWASP's minimums need --allow-weak-kdf",
        Set.of("--kdf", "--allow-weak-kdf"), LifecycleCommands::init);
    add("migrate-kdf", "migrate-kdf --kdf SPEC [--allow-weak-kdf]", "re-derive the store's key with another KDF or stronger settings, in place; audited",
        Set.of("--kdf", "--allow-weak-kdf"), LifecycleCommands::migrateKdf);
    add("passwd", "passwd [--new-password-file FILE]",
        "change the store's password (new one from CLAVIS_NEW_PASSWORD, --new-password-file or a prompt asked twice); audited",
        Set.of("--new-password-file"), LifecycleCommands::passwd);
    add("create", "create NAME [--algorithm AES-256|AES-128|AES-192|HMAC-SHA256] [--rotation-period 90d] [--usage-limit N] [--lifetime 365d] [--deletion-window 7d] [--exportable]",
        "create a key; version 1 is ACTIVE", POLICY, LifecycleCommands::create);
    add("import", "import NAME --key-file FILE [--algorithm ...] [policy options]",
        "bring your own key: raw key bytes from FILE become a new key or a new primary version", union(POLICY, Set.of("--key-file")), LifecycleCommands::importKey);
    add("list", "list [--json]", "list the keys (JSON: an array, one object per key with its versions)", Set.of("--json"), InspectCommands::list);
    add("show", "show NAME [--json]", "show a key, its policy and every version", Set.of("--json"), InspectCommands::show);
    add("rotate", "rotate NAME [--begin | --complete | --abort] [--reason TEXT]",
        "new primary version now, or in two phases (--begin stages it, --complete switches, --abort drops it)",
        Set.of("--begin", "--complete", "--abort", "--reason"), LifecycleCommands::rotate);
    add("suspend", "suspend NAME[#V] [--reason TEXT]", "stop a version (or the key) reversibly", Set.of("--reason"), LifecycleCommands::suspend);
    add("resume", "resume NAME[#V]", "undo a suspension", Set.of(), LifecycleCommands::resume);
    add("revoke", "revoke NAME[#V] [--reason TEXT]", "withdraw a version (or the key) for good", Set.of("--reason"), LifecycleCommands::revoke);
    add("compromise", "compromise NAME#V [--reason TEXT]", "mark a version compromised: it decrypts only with decrypt --allow-compromised",
        Set.of("--reason"), LifecycleCommands::compromise);
    add("destroy", "destroy NAME[#V] [--after 7d | --now]", "schedule destruction after the window (or --after), or erase the material --now",
        Set.of("--after", "--now"), LifecycleCommands::destroy);
    add("cancel-destroy", "cancel-destroy NAME", "cancel a scheduled destruction", Set.of(), LifecycleCommands::cancelDestroy);
    add("encrypt", "encrypt NAME [--aad TEXT] < plaintext > envelope", "encrypt stdin under the key's primary; the envelope names the version",
        Set.of("--aad"), DataCommands::encrypt);
    add("decrypt", "decrypt [--aad TEXT] [--allow-compromised] < envelope > plaintext", "decrypt an envelope made under any version that still decrypts",
        Set.of("--aad", "--allow-compromised"), DataCommands::decrypt);
    add("rewrap", "rewrap [--aad TEXT] < envelope > envelope", "re-encrypt an envelope under the current primary", Set.of("--aad"), DataCommands::rewrap);
    add("audit", "audit [--verify] [--json]", "print the audit log (JSON lines with --json) or verify its hash chain and MACs",
        Set.of("--verify", "--json"), AuditCommand::run);
    add("derive", "derive --seed-hex HEX --path m/44'/0'/0'/0/0", "derive a BIP32 key: prints xprv, xpub and the public key",
        Set.of("--seed-hex", "--path", "--json"), DeriveCommand::run);
    add("demo", "demo [--keep]", "walk through the lifecycle in a temporary store, explaining each step", Set.of("--keep"), DemoCommand::run);
    add("help", "help [COMMAND]", "show this help, or one command's", Set.of(), Help::run);
  }

  private Commands() {}

  private static void add(String name, String synopsis, String summary, Set<String> options, Command command) {
    if (TABLE.put(name, new Entry(name, synopsis, summary, options, command)) != null) {
      throw new IllegalStateException("command " + name + " registered twice");
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.HashSet<String> u = new java.util.HashSet<>(a);
    u.addAll(b);
    return Set.copyOf(u);
  }

  /** @return the command of that name, or null */
  static Entry find(String name) {
    return TABLE.get(name);
  }

  /** @return every command, in help order */
  static Iterable<Entry> all() {
    return TABLE.values();
  }
}
