import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/** A PEM certificate and its private key. */
export interface TestCertificate {
  cert: string;
  key: string;
}

/** A private certificate authority made for one test run (as a studio's internal CA would be). */
export interface TestCa extends TestCertificate {
  /** Issue a server certificate for `hosts` (DNS names or IP addresses), signed by this CA. */
  issue(hosts: string[], options?: { notBefore?: Date; notAfter?: Date }): TestCertificate;
}

let serial = 1;

function rsaKeys(): {
  forgePublic: forge.pki.rsa.PublicKey;
  forgePrivate: forge.pki.rsa.PrivateKey;
  pem: string;
} {
  // Node's native keygen: node-forge's pure-JS one takes seconds for 2048 bits.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    forgePublic: forge.pki.publicKeyFromPem(publicKey),
    forgePrivate: forge.pki.privateKeyFromPem(privateKey),
    pem: privateKey,
  };
}

function baseCertificate(
  publicKey: forge.pki.PublicKey,
  notBefore: Date,
  notAfter: Date,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  serial += 1;
  cert.serialNumber = serial.toString(16).padStart(2, '0');
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  return cert;
}

/**
 * Make a CA (RSA 2048, SHA-256) valid from a minute ago for a day, able to issue server
 * certificates with subjectAltName entries: what `openssl` or a studio PKI would hand out.
 */
export function createTestCa(name = 'OpenClaw Test CA'): TestCa {
  const keys = rsaKeys();
  const now = Date.now();
  const caCert = baseCertificate(keys.forgePublic, new Date(now - 60_000), new Date(now + 86_400_000));
  const subject = [{ name: 'commonName', value: name }];
  caCert.setSubject(subject);
  caCert.setIssuer(subject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(keys.forgePrivate, forge.md.sha256.create());
  return {
    cert: forge.pki.certificateToPem(caCert),
    key: keys.pem,
    issue(hosts, options = {}) {
      const leafKeys = rsaKeys();
      const leaf = baseCertificate(
        leafKeys.forgePublic,
        options.notBefore ?? new Date(Date.now() - 60_000),
        options.notAfter ?? new Date(Date.now() + 86_400_000),
      );
      leaf.setSubject([{ name: 'commonName', value: hosts[0] ?? 'localhost' }]);
      leaf.setIssuer(caCert.subject.attributes);
      leaf.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: hosts.map((host) =>
            /^[\d.]+$|:/.test(host) ? { type: 7, ip: host } : { type: 2, value: host },
          ),
        },
      ]);
      leaf.sign(keys.forgePrivate, forge.md.sha256.create());
      return { cert: forge.pki.certificateToPem(leaf), key: leafKeys.pem };
    },
  };
}
