package dev.clavis.cli;

/** {@code derive --seed-hex HEX --path PATH}: a BIP32 key through the provider's {@code BIP32} KeyFactory. */
final class DeriveCommand {

  private DeriveCommand() {}

  static int run(Context ctx) {
    throw new CliException("derive is not available in this build yet: the BIP32 key factory has not landed");
  }
}
