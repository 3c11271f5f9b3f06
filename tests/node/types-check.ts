// Compiled by `tsc --noEmit` (bindings/node/tsconfig.json), never run: it uses
// the public API the way a TypeScript user would, so index.d.ts must describe
// it. A type error here fails CI.
import * as tls from 'node:tls';
import * as https from 'node:https';
import { X509Certificate } from 'node:crypto';
import trustbundle = require('../../bindings/node');
import {
  where, whereCapath, pem, roots, rootCertificates, bundleVersion, secureContext, agent, verify, verifySync,
  checkKeyPair, Store, VerificationError, TrustbundleError, tlsCode,
} from '../../bindings/node';
import type { Reason, Root, TlsCode, KeyPairCheck } from '../../bindings/node';

const path: string = where();
const dir: string = whereCapath();
const text: string = pem();
const list: Root[] = roots();
const first: Date | null = list[0].serverDistrustAfter;
const pems: readonly string[] = rootCertificates;
const sameShape: readonly string[] = tls.rootCertificates;
const version: string = bundleVersion + trustbundle.libraryVersion + trustbundle.version;

const ctx: tls.SecureContext = secureContext({ extraCa: ['/etc/corp-ca.pem', Buffer.from('x')], minVersion: 'TLSv1.2' });
const ctx2: tls.SecureContext = secureContext();
const a: https.Agent = agent({ extraCa: new URL('file:///etc/corp-ca.pem'), keepAlive: true, maxSockets: 4 });
// @ts-expect-error: `ca` is trustbundle's; extra CAs go in extraCa
secureContext({ ca: 'x' });

async function check(leaf: string, intermediate: Buffer, socket: tls.TLSSocket): Promise<void> {
  const chain: Buffer[] = await verify([leaf, intermediate], { host: 'example.com', at: new Date(), extraCa: 'corp.pem' });
  verifySync(leaf, { at: '2026-06-01T00:00:00Z', purpose: 'client' });
  await verify(socket.getPeerCertificate(true), { host: socket.servername || undefined });
  await verify(new X509Certificate(intermediate));
  const store = new Store({ extraCa: chain[chain.length - 1], mozilla: false, env: false });
  const n: number = store.extraCount;
  const verified: Buffer[] = store.verifySync([leaf], { at: Date.now() });
  await store.verify(leaf);
  void n; void verified;
  try {
    verifySync(leaf);
  } catch (e) {
    if (e instanceof VerificationError) {
      const code: TlsCode = e.code;
      const reason: Reason = e.reason;
      const depth: number = e.depth;
      const hint: string = e.hint;
      void code; void reason; void depth; void hint;
    } else if (e instanceof TrustbundleError) {
      const status = e.status;
      void status;
    }
  }
}

const kp: KeyPairCheck = checkKeyPair('client.pem', Buffer.from('key'), 'passphrase', { at: new Date() });
const kp2: KeyPairCheck = checkKeyPair('client.pem', 'client.key', { at: '2026-06-01T00:00:00Z' });
const ok: boolean = kp.ok && kp2.match && kp.notAfter instanceof Date;
const code: TlsCode = tlsCode('CERT_HAS_EXPIRED');

void path; void dir; void text; void first; void pems; void sameShape; void version; void ctx; void ctx2; void a;
void check; void ok; void code;

// Issue 16: the verifying clients, inject/extract and the doctor.
async function clients(): Promise<void> {
  const d = trustbundle.dispatcher({ extraCa: 'corp.pem', cert: '/etc/client.pem', key: '/etc/client.key', connections: 4 });
  const res = await fetch('https://example.com/', { dispatcher: d } as RequestInit);
  void res;
  await d.close();
  const ag: https.Agent = trustbundle.agent({ cert: new URL('file:///etc/client.pem'), keepAlive: false });
  // @ts-expect-error: verification cannot be turned off
  trustbundle.agent({ rejectUnauthorized: false });
  const socket: tls.TLSSocket = trustbundle.connect({ host: 'example.com', port: 443, extraCa: 'corp.pem' }, () => {});
  const injected = trustbundle.inject({ extraCa: 'corp.pem' });
  const back: boolean = trustbundle.extract();
  const diag: trustbundle.Diagnosis = await trustbundle.diagnose('example.com:443', { servername: 'example.com', timeout: 5000, extraCa: ['corp.pem'] });
  const fixes: string = diag.findings.map((f: trustbundle.Finding) => `${f.code} ${f.severity} ${f.fixClient}`).join('\n');
  void ag; void socket; void injected; void back; void fixes;
}
void clients;
