/**
 * The reference for routes without database work: a bare `node:http` server answering the same
 * JSON as `/health`. It runs in its own process, like Rota, so it never shares an event loop
 * with the load generator.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"

const body = JSON.stringify({ status: "ok" })
const server = createServer((_, response) => {
  response.writeHead(200, { "content-type": "application/json" })
  response.end(body)
})
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`)
})
process.on("SIGTERM", () => server.close(() => process.exit(0)))
