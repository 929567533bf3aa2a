package dev.clavis.hd;

/**
 * The network an extended key is serialized for, which picks its BIP32 version bytes:
 * {@code xprv}/{@code xpub} on mainnet, {@code tprv}/{@code tpub} on testnet.
 */
public enum Network {
  /** Bitcoin mainnet: versions 0x0488ADE4 ({@code xprv}) and 0x0488B21E ({@code xpub}). */
  MAINNET,
  /** Bitcoin testnet: versions 0x04358394 ({@code tprv}) and 0x043587CF ({@code tpub}). */
  TESTNET
}
