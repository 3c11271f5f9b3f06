// Type definitions for trustbundle (hand-written; checked by `tsc --noEmit` in CI).

/// <reference types="node" />

import type { X509Certificate } from 'node:crypto';
import type { Agent, AgentOptions } from 'node:https';
import type { PeerCertificate, SecureContext, SecureContextOptions } from 'node:tls';

/** One extra CA: a file or directory path, PEM text, PEM/DER bytes, or an X509Certificate. */
export type CASource = string | URL | Uint8Array | X509Certificate;

/** A certificate: PEM text (possibly a whole chain), PEM/DER bytes, an X509Certificate, or a TLS peer certificate. */
export type CertInput = string | Uint8Array | X509Certificate | { raw: Uint8Array };

/** A chain, leaf first: one certificate input, a list of them, or `tlsSocket.getPeerCertificate(true)`. */
export type ChainInput = CertInput | readonly CertInput[] | PeerCertificate;

/** A time: a Date, milliseconds since the epoch, or an RFC 3339 UTC string ("2026-06-01T00:00:00Z") / Unix seconds as a string. */
export type TimeInput = Date | number | string;

export type Purpose = 'server' | 'client';

/** Trust setting of a root in Mozilla's data. */
export type Trust = 'trusted' | 'mustVerify' | 'notTrusted' | 'none';

/** The shared reason names: the same strings in every trustbundle package. */
export type Reason =
  | 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
  | 'SELF_SIGNED'
  | 'SELF_SIGNED_CERT_IN_CHAIN'
  | 'CERT_HAS_EXPIRED'
  | 'CERT_NOT_YET_VALID'
  | 'HOSTNAME_MISMATCH'
  | 'IP_ADDRESS_MISMATCH'
  | 'INVALID_PURPOSE'
  | 'PATH_LENGTH_EXCEEDED'
  | 'NAME_CONSTRAINTS_VIOLATION'
  | 'ROOT_DISTRUSTED'
  | 'CERT_SIGNATURE_FAILURE'
  | 'INVALID_CA'
  | 'CERT_CHAIN_TOO_LONG'
  | 'WEAK_KEY_OR_SIGNATURE'
  | 'INVALID_CERTIFICATE'
  | 'CERT_REVOKED'
  | 'CRL_PROBLEM'
  | 'OTHER'
  | 'UNSUPPORTED_KEY'
  | 'VERIFY_BUDGET_EXCEEDED';

/** Node's tls codes a VerificationError carries (see README, "Error codes"). */
export type TlsCode =
  | 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
  | 'UNABLE_TO_GET_ISSUER_CERT'
  | 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
  | 'DEPTH_ZERO_SELF_SIGNED_CERT'
  | 'SELF_SIGNED_CERT_IN_CHAIN'
  | 'CERT_HAS_EXPIRED'
  | 'CERT_NOT_YET_VALID'
  | 'ERR_TLS_CERT_ALTNAME_INVALID'
  | 'INVALID_PURPOSE'
  | 'PATH_LENGTH_EXCEEDED'
  | 'CERT_REJECTED'
  | 'CERT_UNTRUSTED'
  | 'CERT_SIGNATURE_FAILURE'
  | 'UNABLE_TO_DECRYPT_CERT_SIGNATURE'
  | 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY'
  | 'INVALID_CA'
  | 'CERT_CHAIN_TOO_LONG'
  | 'ERROR_IN_CERT_NOT_BEFORE_FIELD'
  | 'ERROR_IN_CERT_NOT_AFTER_FIELD'
  | 'CERT_REVOKED'
  | 'UNABLE_TO_GET_CRL'
  | 'UNABLE_TO_DECRYPT_CRL_SIGNATURE'
  | 'CRL_SIGNATURE_FAILURE'
  | 'CRL_NOT_YET_VALID'
  | 'CRL_HAS_EXPIRED'
  | 'ERROR_IN_CRL_LAST_UPDATE_FIELD'
  | 'ERROR_IN_CRL_NEXT_UPDATE_FIELD'
  | 'UNSPECIFIED';

/** The core's status names, as `err.status`; `err.code` is `ERR_TRUSTBUNDLE_<status>`. */
export type Status = 'INVALID_ARGUMENT' | 'PARSE' | 'IO' | 'NOT_FOUND' | 'BUFFER_TOO_SMALL' | 'LIMIT' | 'INTERNAL' | 'PASSPHRASE';

/** Base class of every error trustbundle throws. */
export class TrustbundleError extends Error {
  /** `ERR_TRUSTBUNDLE_<status>`, or a TlsCode for a VerificationError. */
  readonly code: string;
  /** The core's status name; null for a VerificationError. */
  readonly status: Status | null;
  /** OpenSSL's error or verify code when one was involved, else 0. */
  readonly opensslCode: number;
  /** The file a failed IO or PARSE call was reading, when known. */
  readonly path?: string;
}

/** A certificate chain was rejected. */
export class VerificationError extends TrustbundleError {
  readonly code: TlsCode;
  readonly status: null;
  /** The shared reason name, the same in every trustbundle package. */
  readonly reason: Reason;
  /** Its number (`trustbundle_reason`). */
  readonly reasonCode: number;
  /** Depth of the failing certificate: 0 is the leaf. */
  readonly depth: number;
  /** One line saying how to fix it. */
  readonly hint: string;
  /** OpenSSL's text for the failure, e.g. "certificate has expired". */
  readonly verifyMessage: string;
  /** The name that was checked, or null. */
  readonly host: string | null;
}

/** One root of the embedded bundle, with what a PEM file cannot carry. */
export interface Root {
  /** Mozilla's label (CKA_LABEL). */
  readonly label: string;
  /** SHA-256 of the DER, lowercase hex. */
  readonly sha256: string;
  readonly sha1: string;
  /** "CN=... O=... OU=...", certifi's form. */
  readonly subject: string;
  readonly issuer: string;
  /** Serial number, decimal. */
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serverTrust: Trust;
  readonly emailTrust: Trust;
  /** Mozilla's distrust-after date for TLS servers: leaves issued after it are rejected. */
  readonly serverDistrustAfter: Date | null;
  readonly der: Buffer;
  readonly pem: string;
}

/** Path of Mozilla's roots as one PEM file, in certifi's cacert.pem layout. */
export function where(): string;
/** Path of a hashed CA directory (`openssl rehash` names) with the same roots. */
export function whereCapath(): string;
/** The bundle's text: the contents of where(). */
export function pem(): string;
/** The embedded roots, in Mozilla's certdata order. */
export function roots(): Root[];
/** The roots as PEM strings, shaped like tls.rootCertificates. */
export const rootCertificates: readonly string[];
/** The bundle's identity, "<NSS version>/<as_of>", e.g. "2.86/2026-11-22T00:00:00Z". */
export const bundleVersion: string;
/** The instant Mozilla's data was curated at, the bundle's as_of. */
export const bundleAsOf: Date;
/** Whole days from bundleAsOf to `at` (default now), 0 before it; past 180 days the bundle is stale. */
export function bundleAgeDays(at?: Date | number | string): number;
/** The version of the native core loaded. */
export const libraryVersion: string;
/** This package's version. */
export const version: string;

export interface CAOptions {
  /** CAs trusted in addition to Mozilla's roots. */
  extraCa?: CASource | readonly CASource[];
  /** Add TRUSTBUNDLE_EXTRA_CA_CERTS (a file or directory) when set, read at each call. Default true. */
  env?: boolean;
}

/** tls.createSecureContext options, except `ca` (trustbundle supplies it; use extraCa). */
export interface SecureContextCAOptions extends CAOptions, Omit<SecureContextOptions, 'ca'> {}

/**
 * A tls.SecureContext trusting Mozilla's roots + extraCa + TRUSTBUNDLE_EXTRA_CA_CERTS.
 * Memoized: the same options and the same extra-CA contents return the same context.
 */
export function secureContext(options?: SecureContextCAOptions): SecureContext;

/** A client certificate or key: PEM text, PEM/DER bytes, or a path to a file holding it. */
export type KeyMaterial = string | URL | Uint8Array;

/** The TLS options of a verifying client: the CA options, and the context options with cert/key also as paths. */
export interface ClientTLSOptions extends CAOptions, Omit<SecureContextOptions, 'ca' | 'cert' | 'key' | 'pfx'> {
  cert?: KeyMaterial | KeyMaterial[];
  key?: KeyMaterial | KeyMaterial[];
  pfx?: KeyMaterial;
  /** Only `true` is accepted: verification cannot be turned off. */
  rejectUnauthorized?: true;
}

/** https.Agent options (keepAlive defaults to true) plus the TLS options above. Unknown options are rejected. */
export interface AgentCAOptions extends ClientTLSOptions, Pick<AgentOptions,
  'keepAlive' | 'keepAliveMsecs' | 'maxSockets' | 'maxTotalSockets' | 'maxFreeSockets' | 'scheduling' | 'timeout' |
  'maxCachedSessions' | 'servername' | 'family' | 'localAddress' | 'lookup' | 'hints' | 'noDelay'> {
  /** An http:// proxy: requests go through a CONNECT tunnel, and the check sees the origin server's chain. */
  proxy?: string | URL;
}

/**
 * An https.Agent that accepts a server iff verify() accepts the chain it sent,
 * for the request's servername (else host), now, with the extra CAs; sessions
 * resumed included. A rejection is the request's 'error': a VerificationError.
 */
export function agent(options?: AgentCAOptions): Agent;

/** tls.connect() with the same check as agent(): a rejection is the socket's 'error'. */
export function connect(options: AgentCAOptions & { host?: string; port: number; session?: Buffer },
                        callback?: () => void): import('node:tls').TLSSocket;

/** undici Agent options (v6) plus the TLS options above. Unknown options are rejected. */
export interface DispatcherCAOptions extends ClientTLSOptions {
  connections?: number | null;
  pipelining?: number;
  keepAliveTimeout?: number;
  keepAliveMaxTimeout?: number;
  keepAliveTimeoutThreshold?: number;
  headersTimeout?: number;
  bodyTimeout?: number;
  connectTimeout?: number;
  maxHeaderSize?: number;
  maxResponseSize?: number;
  maxRedirections?: number;
  maxRequestsPerClient?: number;
  localAddress?: string;
  strictContentLength?: boolean;
  interceptors?: unknown;
  autoSelectFamily?: boolean;
  autoSelectFamilyAttemptTimeout?: number;
  servername?: string;
  maxCachedSessions?: number;
  /** An http:// proxy: requests go through a CONNECT tunnel, and the check sees the origin server's chain. */
  proxy?: string | URL;
}

/** An undici Dispatcher (an undici Agent): the object undici's and fetch's `dispatcher` options take. */
export interface Dispatcher {
  close(): Promise<void>;
  destroy(err?: Error | null): Promise<void>;
}

/**
 * An undici Agent with the same check as agent(): `fetch(url, { dispatcher })`
 * (Node's global fetch too), undici's request(), or setGlobalDispatcher().
 * A rejection is fetch's TypeError whose `cause` is the VerificationError.
 */
export function dispatcher(options?: DispatcherCAOptions): Dispatcher;

/** Sets https.globalAgent and the global dispatcher (global fetch) to trustbundle's; extract() undoes it. */
export function inject(options?: ClientTLSOptions & { keepAlive?: boolean }): { agent: Agent; dispatcher: Dispatcher };
/** Restores what inject() replaced; false when not injected. */
export function extract(): boolean;

export interface DiagnoseOptions {
  /** The name sent as SNI and verified (default: the target's host). */
  servername?: string;
  /** Milliseconds for the whole probe: DNS, connect, handshake (default 10000). */
  timeout?: number;
  /** An mTLS client certificate: path, PEM text or bytes (may hold the key too). */
  cert?: FileInput;
  /** Its key (default: cert). */
  key?: FileInput;
  passphrase?: string | Uint8Array;
  /** CAs trusted on top of Mozilla's (TRUSTBUNDLE_EXTRA_CA_CERTS and NODE_EXTRA_CA_CERTS are added too). */
  extraCa?: CASource | readonly CASource[];
  env?: boolean;
}

export interface ServedCertificate {
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** "RSA", "EC", "Ed25519", "Ed448", "DSA" or "unknown". */
  readonly keyType: string;
  readonly keyBits: number;
  readonly sha256: string;
  readonly der: Buffer;
}

export interface Finding {
  /** A stable name, e.g. "MISSING_INTERMEDIATE". */
  readonly code: string;
  readonly severity: 'info' | 'warning' | 'error';
  /** The served certificate concerned (0 = the leaf), or -1. */
  readonly index: number;
  readonly message: string;
  readonly fixClient: string;
  readonly fixServer: string;
}

export interface Diagnosis {
  readonly verdict: 'OK' | 'REJECTED' | 'UNREACHABLE';
  readonly ok: boolean;
  /** 0 verifies, 1 does not, 2 unreachable or not TLS (the CLI's exit codes). */
  readonly exitCode: 0 | 1 | 2;
  /** "NONE", "DNS", "CONNECTION_REFUSED", "TIMEOUT", "NETWORK", "PLAIN_HTTP", "NOT_TLS", "HANDSHAKE_ALERT", "HANDSHAKE" or "CLIENT_CERT". */
  readonly failure: string;
  /** The served chain's reason ("OK" when it verifies); null when no chain was served. */
  readonly reason: Reason | 'OK' | null;
  readonly message: string;
  readonly hint: string;
  readonly protocol: string | null;
  readonly cipher: string | null;
  readonly clientCertRequested: boolean;
  /** As served, in the order sent. */
  readonly chain: readonly ServedCertificate[];
  /** Errors first. */
  readonly findings: readonly Finding[];
  /** One fix per line; "" when nothing to change. */
  readonly fixClient: string;
  readonly fixServer: string;
  /** The one-screen report, as `trustbundle doctor` prints it. */
  readonly text: string;
  /** The diagnosis as JSON, as `trustbundle doctor --json` prints it. */
  readonly json: string;
}

/** The doctor: connects to target ("host", "host:port", "[v6]:port" or an https:// URL) off the main thread. */
export function diagnose(target: string, options?: DiagnoseOptions): Promise<Diagnosis>;

/** Forgets the memoized secure contexts. */
export function clearSecureContexts(): void;

export interface VerifyOptions {
  /** DNS name or IP literal the leaf must be valid for; omit for no name check. */
  host?: string | null;
  /** When to check (default: now). */
  at?: TimeInput | null;
  /** TLS server authentication (default) or client authentication (mTLS). */
  purpose?: Purpose;
}

export interface VerifyCAOptions extends VerifyOptions {
  /** CAs trusted in addition to Mozilla's roots (TRUSTBUNDLE_EXTRA_CA_CERTS is added too). */
  extraCa?: CASource | readonly CASource[];
}

export interface StoreOptions extends CAOptions {
  /** Include the embedded Mozilla roots (default true); false: only extraCa (tests, private PKIs). */
  mozilla?: boolean;
}

/** A set of trust anchors. Immutable; reuse it for many verifications. */
export class Store {
  constructor(options?: StoreOptions);
  /** Anchors besides the embedded roots. */
  readonly extraCount: number;
  /** Those anchors as PEM text ("" when none). */
  extraPem(): string;
  /** Resolves to the verified chain (DER, leaf first, anchor last); rejects with VerificationError. */
  verify(chain: ChainInput, options?: VerifyOptions): Promise<Buffer[]>;
  verifySync(chain: ChainInput, options?: VerifyOptions): Buffer[];
}

/** Verifies a chain on the libuv thread pool; resolves to the verified chain (DER, leaf first). */
export function verify(chain: ChainInput, options?: VerifyCAOptions): Promise<Buffer[]>;
/** verify(), on the calling thread. */
export function verifySync(chain: ChainInput, options?: VerifyCAOptions): Buffer[];

export interface KeyPairCheck {
  /** The key is the certificate's private key. */
  readonly match: boolean;
  /** The certificate may be used for TLS client authentication. */
  readonly clientAuth: boolean;
  /** The check time is within the certificate's validity. */
  readonly valid: boolean;
  /** All three. */
  readonly ok: boolean;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Bytes, PEM text, or a path to a file. */
export type FileInput = string | URL | Uint8Array;

/**
 * Checks an mTLS client certificate against its private key. Throws a
 * TrustbundleError with code ERR_TRUSTBUNDLE_PASSPHRASE when the key needs a
 * passphrase and none (or a wrong one) was given.
 */
export function checkKeyPair(cert: FileInput, key: FileInput, passphrase?: string | Uint8Array | null,
                             options?: { at?: TimeInput | null }): KeyPairCheck;
export function checkKeyPair(cert: FileInput, key: FileInput, options: { at?: TimeInput | null }): KeyPairCheck;

/** Node's tls code for a shared reason name, OpenSSL's verify code and the failing depth (see README, "Error codes"). */
export function tlsCode(reason: Reason | string, opensslCode?: number, depth?: number): TlsCode;
