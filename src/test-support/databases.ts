/**
 * Test helpers for the data-plane tools: real throwaway databases on the local PostgreSQL
 * and MariaDB (unique names per run, dropped afterwards), and a real MCP client connected
 * to a real server over an in-memory transport.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createMcpServer, type ToolCallEvent } from '../server/create-server.js';
import { ServerSession, type ServerSessionOptions } from '../server/session.js';

export const PG = { host: '127.0.0.1', port: 5432, superuser: 'postgres' };
export const MY = { host: '127.0.0.1', port: 3306, superuser: 'root' };

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Run statements as the PostgreSQL superuser against `database`. */
export async function pgAdmin<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: PG.host, port: PG.port, user: PG.superuser, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function mysqlAdmin<T>(work: (conn: mysql.Connection) => Promise<T>, database?: string): Promise<T> {
  const conn = await mysql.createConnection({ host: MY.host, port: MY.port, user: MY.superuser, password: '', ...(database ? { database } : {}) });
  try {
    return await work(conn);
  } finally {
    await conn.end();
  }
}

export interface McpHarness {
  client: Client;
  session: ServerSession;
  events: ToolCallEvent[];
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** A real MCP server (the production wrapper: fencing, caps, hooks) and a real client, linked in memory. */
export async function connectMcp(options: ServerSessionOptions): Promise<McpHarness> {
  const session = new ServerSession(options);
  const events: ToolCallEvent[] = [];
  const server = createMcpServer(session, { defaultCaller: { principal: 'test', transport: 'in-process' }, onToolCall: (e) => void events.push(e) });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'data-plane-test', version: '1.0.0' });
  await client.connect(clientTransport);
  return {
    client,
    session,
    events,
    call: async (name, args) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
      session.close();
    },
  };
}

/** The text of a tool result. */
export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}
