/** The JNA binding of PKCS#11 (Cryptoki) used by Clavis's token backend. */
module dev.clavis.pkcs11 {
  requires com.sun.jna;

  exports dev.clavis.pkcs11;
}
