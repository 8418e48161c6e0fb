// A GMS-style widget on Node: the CometD JavaScript client (npm "cometd") with the Node adapter.
// Usage: node client.mjs <cometd url> <websocket|long-polling> <serviceName>
// Prints one line per step (READY <chatId>, AGENT <text>, DONE <transport>) and exits 0, or
// prints FAIL <reason> and exits 1. The Java test drives the agent side between READY and AGENT.
import { CometD } from "cometd";
import { adapt } from "cometd-nodejs-client";

adapt();
const [url, transport, service] = process.argv.slice(2);
const channel = `/service/chatV2/${service}`;
const cometd = new CometD();
if (transport === "long-polling") {
  cometd.unregisterTransport("websocket");
}
cometd.configure({ url, logLevel: "warn" });

const fail = (why) => {
  console.log(`FAIL ${why}`);
  process.exit(1);
};
setTimeout(() => fail("timeout"), 20000).unref();

let secureKey;
let stage = "requestChat";
const seen = new Set();

function onData(message) {
  const data = message.data;
  for (const m of data.messages ?? []) {
    if (seen.has(m.index)) {
      fail(`duplicate index ${m.index}`);
    }
    seen.add(m.index);
  }
  if (data.operation === "requestChat") {
    if (data.statusCode !== 0) fail(`requestChat ${JSON.stringify(data)}`);
    secureKey = data.secureKey;
    stage = "sendMessage";
    cometd.publish(channel, { operation: "sendMessage", message: "hello from node", secureKey });
  } else if (data.operation === "sendMessage") {
    if (data.statusCode !== 0) fail(`sendMessage ${JSON.stringify(data)}`);
  } else if (data.operation === "disconnect") {
    if (data.statusCode !== 0) fail(`disconnect ${JSON.stringify(data)}`);
    const used = cometd.getTransport().type;
    cometd.disconnect(() => {
      console.log(`DONE ${used}`);
      process.exit(0);
    });
  } else if (data.operation !== undefined) {
    fail(`unexpected reply ${JSON.stringify(data)}`);
  } else {
    for (const m of data.messages ?? []) {
      if (stage === "sendMessage" && m.type === "Message" && m.from.type === "Client") {
        stage = "agent";
        console.log(`READY ${data.chatId}`);
      } else if (stage === "agent" && m.type === "Message" && m.from.type === "Agent") {
        stage = "disconnect";
        console.log(`AGENT ${m.text}`);
        cometd.publish(channel, { operation: "disconnect", secureKey });
      }
    }
  }
}

cometd.handshake((reply) => {
  if (!reply.successful) fail(`handshake ${JSON.stringify(reply)}`);
  // GMS widgets subscribe to the service channel; the server delivers there either way.
  cometd.subscribe(channel, onData, (sub) => {
    if (!sub.successful) fail(`subscribe ${JSON.stringify(sub)}`);
    cometd.publish(channel, { operation: "requestChat", nickname: "Node", subject: "test" });
  });
});
