import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { toPropertiesFile } from "./broker-config";

// Secured listeners for test brokers: a throw-away PKI made with Debian's openssl and keytool at test time, SCRAM
// users written into the metadata log at format time (`kafka-storage format --add-scram`, the KRaft way) and PLAIN
// users in the listener's JAAS config. The harness itself keeps talking PLAINTEXT on its own listener.

const execFileAsync = promisify(execFile);

/** The security protocols a test listener can speak. */
export type ListenerProtocol = "SSL" | "SASL_PLAINTEXT" | "SASL_SSL";

export interface ExtraListener {
  /** Listener name in server.properties, upper case (e.g. SASL_SSL, MTLS). */
  name: string;
  protocol: ListenerProtocol;
}

/** Every secured listener a security test cluster has. */
export const SECURE_LISTENERS = {
  /** SASL over TLS, PLAIN and both SCRAMs enabled. */
  saslSsl: { name: "SASL_SSL", protocol: "SASL_SSL" },
  /** SASL without TLS (SASL alone). */
  saslPlaintext: { name: "SASL_PLAINTEXT", protocol: "SASL_PLAINTEXT" },
  /** TLS alone: server certificate only. */
  tls: { name: "TLS", protocol: "SSL" },
  /** TLS with a required client certificate. */
  mtls: { name: "MTLS", protocol: "SSL" },
  /** TLS with a server certificate that expired yesterday. */
  expired: { name: "EXPIRED", protocol: "SSL" },
} as const satisfies Record<string, ExtraListener>;

export const SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] as const;

/** The DNS name in the broker certificate besides 127.0.0.1 and localhost: for server-name checks. */
export const BROKER_DNS_NAME = "kafka.test";

export interface TestPki {
  dir: string;
  /** Password of every PKCS12 store below (test-only, not a secret anyone cares about). */
  storePassword: string;
  caPem: string;
  /** A CA that signed nothing the broker presents: a client trusting only it must fail. */
  otherCaPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  brokerKeystore: string;
  expiredBrokerKeystore: string;
  /** The CA, for Java clients and the broker's client-certificate check. */
  truststore: string;
  /** The client certificate and key, for Java clients. */
  clientKeystore: string;
}

export interface TestUser {
  username: string;
  password: string;
}

async function run(command: string, args: string[], cwd: string): Promise<void> {
  try {
    await execFileAsync(command, args, { cwd });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed: ${e.stderr || e.message}`);
  }
}

/** A CA, a broker certificate (127.0.0.1, localhost, kafka.test), an expired one, a client certificate, stores. */
export async function createTestPki(dir: string): Promise<TestPki> {
  await mkdir(dir, { recursive: true });
  const storePassword = randomBytes(8).toString("hex");
  const openssl = (...args: string[]) => run("openssl", args, dir);
  const f = (name: string) => path.join(dir, name);

  for (const ca of ["ca", "other-ca"]) {
    await openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${ca}-key.pem`, "-out", `${ca}.pem`,
      "-days", "2", "-subj", `/CN=Kafka EOS Auditor test ${ca}`);
  }
  await writeFile(f("broker.ext"), `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${BROKER_DNS_NAME}\n`);
  await writeFile(f("client.ext"), "extendedKeyUsage=clientAuth\n");
  for (const [name, subject] of [["broker", "/CN=localhost"], ["client", "/CN=auditor-client"]]) {
    await openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}-key.pem`, "-out", `${name}.csr`, "-subj", subject);
    await openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
      "-out", `${name}.pem`, "-days", "2", "-extfile", `${name}.ext`);
  }
  // openssl x509 cannot backdate; `openssl ca` takes explicit validity dates.
  await mkdir(f("ca-db"), { recursive: true });
  await writeFile(f("ca-db/index.txt"), "");
  await writeFile(
    f("ca.cnf"),
    [
      "[ca]", "default_ca = test", "[test]", "dir = ca-db", "database = ca-db/index.txt", "new_certs_dir = ca-db",
      "serial = ca-db/serial", "default_md = sha256", "policy = any", "copy_extensions = copy", "unique_subject = no",
      "[any]", "commonName = supplied", "",
    ].join("\n"),
  );
  await writeFile(f("ca-db/serial"), "1000\n");
  const day = 86_400_000;
  const asn1Time = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
  await openssl("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca-key.pem", "-in", "broker.csr",
    "-out", "expired.pem", "-startdate", asn1Time(Date.now() - 3 * day), "-enddate", asn1Time(Date.now() - day),
    "-extfile", "broker.ext", "-notext");

  const p12 = (cert: string, key: string, out: string) =>
    openssl("pkcs12", "-export", "-in", cert, "-inkey", key, "-name", "entry", "-out", out, "-passout", `pass:${storePassword}`);
  await p12("broker.pem", "broker-key.pem", "broker.p12");
  await p12("expired.pem", "broker-key.pem", "expired.p12");
  await p12("client.pem", "client-key.pem", "client.p12");
  await run("keytool", ["-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "truststore.p12",
    "-storetype", "PKCS12", "-storepass", storePassword], dir);

  return {
    dir,
    storePassword,
    caPem: f("ca.pem"),
    otherCaPem: f("other-ca.pem"),
    clientCertPem: f("client.pem"),
    clientKeyPem: f("client-key.pem"),
    brokerKeystore: f("broker.p12"),
    expiredBrokerKeystore: f("expired.p12"),
    truststore: f("truststore.p12"),
    clientKeystore: f("client.p12"),
  };
}

/** Broker settings for the secured listeners of SECURE_LISTENERS (the listeners themselves come from the harness). */
export function secureBrokerConfig(pki: TestPki, user: TestUser): Record<string, string> {
  const keystore = (prefix: string, file: string) => ({
    [`${prefix}ssl.keystore.type`]: "PKCS12",
    [`${prefix}ssl.keystore.location`]: file,
    [`${prefix}ssl.keystore.password`]: pki.storePassword,
    [`${prefix}ssl.key.password`]: pki.storePassword,
  });
  const quoted = (value: string) => JSON.stringify(value);
  const jaas = {
    PLAIN: `org.apache.kafka.common.security.plain.PlainLoginModule required user_${user.username}=${quoted(user.password)};`,
    "SCRAM-SHA-256": "org.apache.kafka.common.security.scram.ScramLoginModule required;",
    "SCRAM-SHA-512": "org.apache.kafka.common.security.scram.ScramLoginModule required;",
  };
  const sasl = (listener: string) =>
    Object.fromEntries(
      SASL_MECHANISMS.map((m) => [`listener.name.${listener.toLowerCase()}.${m.toLowerCase()}.sasl.jaas.config`, jaas[m]]),
    );
  return {
    ...keystore("", pki.brokerKeystore),
    ...keystore(`listener.name.${SECURE_LISTENERS.expired.name.toLowerCase()}.`, pki.expiredBrokerKeystore),
    "ssl.truststore.type": "PKCS12",
    "ssl.truststore.location": pki.truststore,
    "ssl.truststore.password": pki.storePassword,
    [`listener.name.${SECURE_LISTENERS.mtls.name.toLowerCase()}.ssl.client.auth`]: "required",
    "sasl.enabled.mechanisms": SASL_MECHANISMS.join(","),
    ...sasl(SECURE_LISTENERS.saslSsl.name),
    ...sasl(SECURE_LISTENERS.saslPlaintext.name),
  };
}

/** `kafka-storage format` arguments creating the user for both SCRAM mechanisms. */
export function scramFormatArgs(user: TestUser): string[] {
  return ["SCRAM-SHA-256", "SCRAM-SHA-512"].flatMap((m) => ["--add-scram", `${m}=[name=${user.username},password=${user.password}]`]);
}

/** Client properties for the official CLIs (`--command-config`) on one secured listener. */
export function cliClientProperties(
  pki: TestPki,
  listener: ExtraListener,
  options: { user?: TestUser; mechanism?: (typeof SASL_MECHANISMS)[number]; clientCertificate?: boolean } = {},
): Record<string, string> {
  const props: Record<string, string> = { "security.protocol": listener.protocol };
  if (listener.protocol !== "SASL_PLAINTEXT") {
    Object.assign(props, { "ssl.truststore.type": "PKCS12", "ssl.truststore.location": pki.truststore, "ssl.truststore.password": pki.storePassword });
  }
  if (options.clientCertificate) {
    Object.assign(props, {
      "ssl.keystore.type": "PKCS12",
      "ssl.keystore.location": pki.clientKeystore,
      "ssl.keystore.password": pki.storePassword,
      "ssl.key.password": pki.storePassword,
    });
  }
  if (options.user && options.mechanism) {
    const loginModule = options.mechanism === "PLAIN" ? "plain.PlainLoginModule" : "scram.ScramLoginModule";
    props["sasl.mechanism"] = options.mechanism;
    props["sasl.jaas.config"] =
      `org.apache.kafka.common.security.${loginModule} required username=${JSON.stringify(options.user.username)} password=${JSON.stringify(options.user.password)};`;
  }
  return props;
}

/** Writes client properties where `--command-config` can read them; returns the path. */
export async function writeClientProperties(file: string, properties: Record<string, string>): Promise<string> {
  await writeFile(file, toPropertiesFile(properties));
  return file;
}

/**
 * KRaft's StandardAuthorizer on a SASL_PLAINTEXT (PLAIN) listener for `user`. Everything else (the harness's
 * PLAINTEXT listener, inter-broker and controller traffic) is User:ANONYMOUS, the super user; `user` gets only
 * what kafka-acls grants it.
 */
export function authorizerBrokerConfig(user: TestUser): Record<string, string> {
  const listener = SECURE_LISTENERS.saslPlaintext.name.toLowerCase();
  return {
    "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    "super.users": "User:ANONYMOUS",
    "sasl.enabled.mechanisms": "PLAIN",
    [`listener.name.${listener}.plain.sasl.jaas.config`]:
      `org.apache.kafka.common.security.plain.PlainLoginModule required user_${user.username}=${JSON.stringify(user.password)};`,
  };
}
