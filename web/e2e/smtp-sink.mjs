// A real SMTP server for the end-to-end run (nodemailer's smtp-server): scripts/check-web.sh starts
// it before Lobby, points SMTP_URL at it, and every mail Lobby sends lands in DIR as N.eml, which the
// browser test reads the way a person reads their inbox.
//   node e2e/smtp-sink.mjs PORT DIR
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";

const [port, dir] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
let count = 0;
const server = new SMTPServer({
  // Plain SMTP on loopback: no TLS to offer (Lobby's smtp:// takes STARTTLS only when offered), no AUTH.
  disabledCommands: ["STARTTLS", "AUTH"],
  authOptional: true,
  logger: false,
  onData(stream, _session, callback) {
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => {
      count += 1;
      writeFileSync(path.join(dir, `${count}.eml`), Buffer.concat(chunks));
      callback();
    });
  },
});
server.listen(Number(port), "127.0.0.1", () => console.log(`smtp-sink: listening on 127.0.0.1:${port}, mail to ${dir}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
