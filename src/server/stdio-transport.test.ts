import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ScreenedStdioTransport } from './stdio-transport.js';

async function started() {
  const input = new PassThrough();
  const output = new PassThrough();
  const transport = new ScreenedStdioTransport(input, output);
  const messages: JSONRPCMessage[] = [];
  const errors: Error[] = [];
  transport.onmessage = (m) => messages.push(m);
  transport.onerror = (e) => errors.push(e);
  await transport.start();
  let written = '';
  output.on('data', (d) => (written += String(d)));
  return { input, transport, messages, errors, written: () => written };
}

/** Let the streams deliver what was written (a turn of the event loop, not a timer). */
const delivered = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the stdio transport of serve', () => {
  it('reads lines split across chunks, with a multi-byte character cut in two and a CRLF ending', async () => {
    const t = await started();
    const line = Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: { note: 'é€' } } })}\r\n`);
    const cut = line.indexOf(Buffer.from('€')) + 1;
    t.input.write(line.subarray(0, cut));
    t.input.write(line.subarray(cut));
    t.input.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    await delivered();
    expect(t.messages).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: { note: 'é€' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
    ]);
    expect(t.errors).toEqual([]);
  });

  it('answers a request with by-position params itself (-32602), and reports a line that is not JSON', async () => {
    const t = await started();
    t.input.write('{"jsonrpc":"2.0","id":"x","method":"tools/call","params":["whoami"]}\nnot json\n');
    await delivered();
    expect(t.messages).toEqual([]);
    expect(JSON.parse(t.written())).toMatchObject({ id: 'x', error: { code: -32602 } });
    expect(t.errors).toHaveLength(1);
  });

  it('passes on exactly the messages the SDK schema accepts, as the schema gives them, whether checked by hand or by the schema', async () => {
    const samples: unknown[] = [
      { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'whoami', arguments: {} } },
      { jsonrpc: '2.0', id: 'a-1', method: 'tools/list' },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7, reason: 'r' } },
      { jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'whoami', arguments: {}, _meta: { progressToken: 1 } } },
      { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'whoami', _meta: { progressToken: 1.5 } } },
      { jsonrpc: '2.0', id: 3, result: { ok: true } },
      { jsonrpc: '2.0', id: 4, error: { code: -32601, message: 'no' } },
      { jsonrpc: '2.0', id: 1.5, method: 'tools/list' },
      { jsonrpc: '2.0', id: 2 ** 60, method: 'tools/list' },
      { jsonrpc: '2.0', id: null, method: 'tools/list' },
      { jsonrpc: '2.0', id: true, method: 'tools/list' },
      { jsonrpc: '1.0', id: 1, method: 'tools/list' },
      { jsonrpc: '2.0', id: 1, method: 42 },
      { jsonrpc: '2.0', id: 1, method: 'tools/list', extra: 1 },
      { jsonrpc: '2.0', id: 1, method: 'tools/list', params: null },
      { jsonrpc: '2.0', id: 1, method: 'tools/list', params: 'x' },
      '{"jsonrpc":"2.0","id":1,"method":"tools/list","__proto__":{"polluted":true}}',
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","__proto__":{"polluted":true}}}',
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{"__proto__":{"polluted":true}}}}',
      [],
      'text',
    ];
    for (const sample of samples) {
      const t = await started();
      const line = typeof sample === 'string' && sample.startsWith('{') ? sample : JSON.stringify(sample);
      t.input.write(`${line}\n`);
      await delivered();
      const expected = JSONRPCMessageSchema.safeParse(JSON.parse(line));
      if (expected.success) {
        expect(t.messages).toEqual([expected.data]);
        expect(t.errors).toEqual([]);
      } else {
        expect(t.messages).toEqual([]);
      }
    }
  });

  it('writes each message as one line', async () => {
    const t = await started();
    await t.transport.send({ jsonrpc: '2.0', id: 2, result: { ok: true } });
    await delivered();
    expect(t.written()).toBe('{"jsonrpc":"2.0","id":2,"result":{"ok":true}}\n');
    let closed = false;
    t.transport.onclose = () => (closed = true);
    await t.transport.close();
    expect(closed).toBe(true);
  });
});
