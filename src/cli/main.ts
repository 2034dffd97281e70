#!/usr/bin/env node
/**
 * The `infra-audit` entry point: the only place that parses argv, prints a user-facing
 * error and exits. Each command lives in its own module, loaded only when it runs, as a
 * plain async function that takes options and returns an exit code.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { InfraAuditError } from '../errors.js';
import { PRODUCT_VERSION } from '../version.js';
import { Redactor } from '../redact/redactor.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, silenceSdkRuntimeNotices } from '../aws/clients.js';
import { DEFAULT_ERROR_THRESHOLD } from '../findings/fail-on.js';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../aws/concurrency.js';
import type { CommandIO } from './io.js';
import { processIO, signalExitCode } from './io.js';

silenceSdkRuntimeNotices();

const EXAMPLES = `
Examples:
  $ infra-audit demo                                  # everything, on a built-in sandbox account
  $ infra-audit sandbox --account examples/demo/account.json
  $ AWS_ENDPOINT_URL=http://127.0.0.1:4566 aws s3api list-buckets   # any AWS client works against it

The agent's authority ends at read and report: no command of this tool changes your
infrastructure. Remediation is always a proposal for a human to review and apply.`;

export function buildProgram(io: CommandIO): Command {
  const program = new Command('infra-audit')
    .description('Read-only security audit, Terraform drift and an MCP tool surface for AWS, built for AI agents and CI.')
    .version(PRODUCT_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    // Options belong to the command they follow, so `drift gen-driftignore --output F` is the
    // subcommand's --output, not drift's (infra-audit has no options of its own but -V and -h).
    .enablePositionalOptions()
    .addHelpText('after', EXAMPLES);

  program
    .command('sandbox')
    .description('Serve an AWS-compatible, read-only account on 127.0.0.1 for the real AWS SDKs and CLI (demo, tests, benchmarks).')
    .option('--account <file>', 'account file to serve (JSON; format in docs/sandbox.md)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort('--port'), 0)
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--latency-ms <n>', 'latency added to every request', parseNonNegativeInt('--latency-ms'), 0)
    .option('--jitter-ms <n>', 'random extra latency up to N ms', parseNonNegativeInt('--jitter-ms'), 0)
    .option('--throttle-rate <r>', 'fraction of requests throttled (0..1)', parseRate('--throttle-rate'), 0)
    .option('--error-rate <r>', 'fraction of requests failing with a 5xx (0..1)', parseRate('--error-rate'), 0)
    .option('--deny <resource...>', 'answer AccessDenied for these ARN globs or names, optionally Operation:pattern')
    .option('--hang <resource...>', 'accept requests for these (same syntax as --deny) and never answer them')
    .option('--seed <n>', 'seed for faults and --generate, so a run can be reproduced', parseNonNegativeInt('--seed'))
    .option('--validate <file>', 'check an account file and report each problem with its JSON path, then exit')
    .option('--generate <spec>', 'write a synthetic account, e.g. buckets=10000,roles=3000,users=500,security-groups=2000,db-instances=500')
    .option('--out <file>', 'where --generate writes the account')
    .addHelpText(
      'after',
      `
The first line on stdout is the endpoint URL; point any AWS SDK or CLI at it:
  $ infra-audit sandbox --account examples/demo/account.json --latency-ms 20 --throttle-rate 0.05 --seed 7
  http://127.0.0.1:40123
  $ AWS_ENDPOINT_URL=http://127.0.0.1:40123 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws s3api list-buckets
Request counts per service and operation: GET <endpoint>/_sandbox/stats`,
    )
    .action(async (opts) => {
      const { runSandboxCommand } = await import('./sandbox.js');
      return finish(await runSandboxCommand(opts, io));
    });

  program
    .command('demo')
    .description('Start the sandbox on the built-in demo account and run the audit against it, end to end.')
    .option('--account <file>', 'a different account file for the demo')
    .option('--output <dir>', 'where to write the reports and the audit log (default: a new temporary folder)')
    .option('--skip-database', 'skip the query_db step on the local PostgreSQL')
    .action(async (opts) => {
      const { runDemoCommand } = await import('./demo.js');
      return finish(await runDemoCommand(opts, io));
    });

  program
    .command('audit')
    .description('Run the security checks (S3, IAM, EC2, RDS; CIS-mapped) against an AWS account, read-only, and report.')
    .option('--endpoint-url <url>', 'AWS endpoint (e.g. the sandbox); default AWS_ENDPOINT_URL or AWS itself')
    .option('--region <region...>', 'regions to audit, or "all" for the account\'s enabled regions', ['all'])
    .option('--profile <name>', 'AWS profile from your shared config')
    .option('--assume-role <arn...>', 'audit the account of each role, assumed via sts:AssumeRole')
    .option('--format <fmts>', 'table, json, markdown, sarif, ocsf, ocsf-jsonl (OCSF as JSON Lines) or html; several, comma-separated, with --output-dir (default: table); with --list-checks: table or json')
    .option('--output <file>', 'write the report to FILE instead of stdout (- is stdout); FMT=FILE, repeatable, writes one report per format', collect, [])
    .option('--output-dir <dir>', 'write one report per --format into DIR (audit.sarif, audit.json, audit.html, ...)')
    .option('--sarif-root <dir>', 'SARIF file paths are relative to this directory (default: the root of the git work tree holding --config, else of the working directory)')
    .option('--fail-on <severity>', 'exit 1 when an unsuppressed failure is at or above this severity: critical, high, medium, low or info', 'high')
    .option('--checks <ids>', 'comma-separated check ids to run, repeatable (default: all)', collect, undefined)
    .option('--skip-checks <ids>', 'comma-separated check ids not to run, repeatable', collect, undefined)
    .option('--services <names>', 'comma-separated services whose checks run, e.g. s3,iam, repeatable (default: all)', collect, undefined)
    .option('--compliance <framework>', 'add a per-control compliance report to every format: cis-3.0 or cis-5.0')
    .option('--suppressions <file>', 'accepted risks (YAML or JSON; format in docs/findings.md)')
    .option('--idle-days <n>', 'days without a database connection that make an RDS instance idle', parsePositiveInt('--idle-days'), 7)
    .option('--max-attempts <n>', 'attempts per AWS call under throttling and transient errors', parsePositiveInt('--max-attempts'))
    .option('--concurrency <n>', `ceiling of AWS requests in flight per service: each service's limit starts at ${DEFAULT_CONCURRENCY}, grows while calls succeed and halves when AWS throttles (default ceilings: S3 ${MAX_CONCURRENCY}, IAM 10, others 20; at most ${MAX_CONCURRENCY}: more is capped with a warning)`, parsePositiveInt('--concurrency'))
    .option('--connect-timeout <seconds>', 'longest wait for a connection to AWS, per call', parsePositiveSeconds('--connect-timeout'), DEFAULT_CONNECT_TIMEOUT_MS / 1000)
    .option('--request-timeout <seconds>', 'longest wait for an answer from AWS, per call; a read that times out (twice) is an error on its resource', parsePositiveSeconds('--request-timeout'), DEFAULT_REQUEST_TIMEOUT_MS / 1000)
    .option('-q, --quiet', 'nothing on stderr but errors (no progress, no summary)')
    .option('-v, --verbose', 'each phase and completed service and region on stderr, and the AWS calls per operation at the end')
    .addOption(progressIntervalOption())
    .option('--fail-on-error', 'exit 2 when any verdict could not be reached (a read was denied, failed or timed out)')
    .option('--error-threshold <share>', 'exit 2 when more than this share of the checks could not run at all (0..1 or a percentage)', String(DEFAULT_ERROR_THRESHOLD))
    .option('--state <path...>', 'Terraform state: findings on managed resources name their Terraform address')
    .option('--config <dir>', 'Terraform root module (with --state): findings also name the declaring file and line')
    .option('--list-checks', 'print the check catalog and exit')
    .addHelpText(
      'after',
      `
Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 the audit failed or could
not check enough (--error-threshold, --fail-on-error), 130/143 interrupted (Ctrl-C/SIGTERM; nothing written).
Examples:
  $ infra-audit audit --region us-east-1 eu-west-1 --format sarif --output audit.sarif
  $ infra-audit audit --format sarif,json,html --output-dir reports      # one run, three reports
  $ infra-audit audit --output sarif=audit.sarif --output html=audit.html --format table
  $ infra-audit audit --assume-role arn:aws:iam::123456789012:role/InfraAuditReadOnly --fail-on critical
  $ infra-audit audit --compliance cis-3.0 --format html --output cis.html   # per control: pass, fail, error, manual, ...
  $ infra-audit audit --services s3,iam --compliance cis-5.0
  $ infra-audit audit --endpoint-url http://127.0.0.1:4566 --checks s3_bucket_public_read,ec2_sg_open_ssh`,
    )
    .action(async (opts) => {
      const { runAuditCommand } = await import('./audit.js');
      return finish(await runAuditCommand(opts, io));
    });

  const drift = program
    .command('drift')
    .enablePositionalOptions()
    .description('Compare Terraform state (and configuration) with the live account, read-only: changed, missing, unmanaged and unapplied resources.')
    .option('--state <path...>', 'Terraform state: file, glob, -, s3://bucket/key, https://..., tfc://org/workspace (several: their union)')
    .option('--config <dir>', 'Terraform root module directory: declared values, file and line, unapplied resources')
    .option('--endpoint-url <url>', 'AWS endpoint (e.g. the sandbox); default AWS_ENDPOINT_URL or AWS itself')
    .option('--region <region...>', 'regions to read, or "all" for the account\'s enabled regions', ['all'])
    .option('--profile <name>', 'AWS profile from your shared config')
    .option('--format <fmts>', 'table, json, markdown, sarif or html; several, comma-separated, with --output-dir (default: table)')
    .option('--output <file>', 'write the report to FILE instead of stdout (- is stdout); FMT=FILE, repeatable, writes one report per format', collect, [])
    .option('--output-dir <dir>', 'write one report per --format into DIR (drift.sarif, drift.json, drift.html, ...)')
    .option('--sarif-root <dir>', 'SARIF file paths are relative to this directory (default: the root of the git work tree holding --config, else of the working directory)')
    .option('--driftignore <file>', 'resources and attributes to leave out, in driftctl syntax (default: ./.driftignore if present)')
    .option('--only-managed', 'report only drift of resources in the state (changed, missing), as driftctl')
    .option('--only-unmanaged', 'report only resources in no state (unmanaged), as driftctl')
    .option('--allow-account-mismatch', "compare even when the state's resources belong to another account than the credentials' (refused by default: everything would look missing and unmanaged)")
    .option('--max-attempts <n>', 'attempts per AWS call under throttling and transient errors', parsePositiveInt('--max-attempts'))
    .option('--concurrency <n>', `ceiling of AWS requests in flight per service: each service's limit starts at ${DEFAULT_CONCURRENCY}, grows while calls succeed and halves when AWS throttles (default ceilings: S3 ${MAX_CONCURRENCY}, IAM 10, others 20; at most ${MAX_CONCURRENCY}: more is capped with a warning)`, parsePositiveInt('--concurrency'))
    .option('--connect-timeout <seconds>', 'longest wait for a connection to AWS, per call', parsePositiveSeconds('--connect-timeout'), DEFAULT_CONNECT_TIMEOUT_MS / 1000)
    .option('--request-timeout <seconds>', 'longest wait for an answer from AWS, per call; a read that times out (twice) is an error on its resource', parsePositiveSeconds('--request-timeout'), DEFAULT_REQUEST_TIMEOUT_MS / 1000)
    .option('-q, --quiet', 'nothing on stderr but errors (no progress, no summary)')
    .option('-v, --verbose', 'each phase and completed service and region on stderr, and the AWS calls per operation at the end')
    .addOption(progressIntervalOption())
    .addHelpText(
      'after',
      `
Exit codes: 0 in sync, 1 drift found, 2 the comparison failed, 130/143 interrupted (nothing written).
Examples:
  $ infra-audit drift --state terraform.tfstate --config .
  $ infra-audit drift --state s3://acme-terraform-state/prod/terraform.tfstate --format json --output drift.json
  $ infra-audit drift --state terraform.tfstate --config . --format sarif,html --output-dir reports
  $ terraform state pull | infra-audit drift --state - --format markdown`,
    )
    .action(async (opts) => {
      const { runDriftCommand } = await import('./drift.js');
      return finish(await runDriftCommand(opts, io));
    });

  drift
    .command('gen-driftignore')
    .description("Write a .driftignore that leaves out everything a saved drift report holds (driftctl's gen-driftignore); no AWS call")
    .option('-i, --input <file>', 'the drift report, as `drift --format json` writes it; - is standard input', '-')
    .option('-o, --output <file>', 'the .driftignore to write; - is stdout', '-')
    .option('--force', 'replace --output if it exists (its rules are lost)')
    .option('--exclude-changed', 'write no rules for changed resources (keep being told about them)')
    .option('--exclude-missing', 'write no rules for missing resources')
    .option('--exclude-unmanaged', 'write no rules for unmanaged resources')
    .option('--exclude-unapplied', 'write no rules for unapplied resources')
    .addHelpText(
      'after',
      `
Rules are as narrow as the report allows: one per differing attribute of a changed resource, the
Terraform address of a missing or unapplied one, the id of an unmanaged one.
Exit codes: 0 written, 2 bad input (not a drift report, unreadable, --output exists without --force).
Examples:
  $ infra-audit drift --state terraform.tfstate --format json --output drift.json
  $ infra-audit drift gen-driftignore -i drift.json -o .driftignore
  $ infra-audit drift --state terraform.tfstate --format json | infra-audit drift gen-driftignore --exclude-unmanaged >> .driftignore`,
    )
    .action(async (opts) => {
      const { runGenDriftIgnoreCommand } = await import('./drift-gen-driftignore.js');
      return finish(await runGenDriftIgnoreCommand(opts, io));
    });

  program
    .command('serve')
    .description('Run the read-only MCP server: stdio by default (Claude Desktop, Claude Code, Cursor, VS Code), Streamable HTTP with --http.')
    .option('--http', 'serve Streamable HTTP instead of stdio (authentication required)')
    .option('--host <addr>', 'address to bind with --http', '127.0.0.1')
    .option('--port <n>', 'port with --http (0 picks a free one)', parsePort('--port'), 0)
    .option('--state <path...>', 'Terraform state: file, glob, -, s3://bucket/key, https://..., tfc://org/workspace')
    .option('--config <dir>', 'Terraform root module directory')
    .option('--endpoint-url <url>', 'AWS endpoint (e.g. the sandbox); default AWS_ENDPOINT_URL or AWS itself')
    .option('--region <region>', 'default AWS region')
    .option('--profile <name>', 'AWS profile from your shared config')
    .option('--toolsets <list>', 'comma-separated toolsets to enable (s3,iam,ec2,rds,checks,terraform,data,account)')
    .option('--tools <list>', 'comma-separated allowlist of tool names')
    .option('--tokens-file <file>', 'bearer tokens (hashed) for --http; see `infra-audit token create`')
    .option('--oauth-issuer <url>', 'OAuth 2.1 resource-server mode: token issuer')
    .option('--oauth-audience <uri>', 'OAuth: the audience tokens must carry (this server\'s URL)')
    .option('--oauth-jwks-url <url>', "OAuth: the issuer's JWKS URL")
    .option('--allowed-host <host...>', 'extra Host header values accepted with --http')
    .option('--allowed-origin <origin...>', 'browser Origins accepted with --http (none by default)')
    .option('--rate-limit <n>', 'requests per second per principal with --http', parseNonNegativeInt('--rate-limit'), 50)
    .option('--protect-bucket <name...>', 'buckets whose objects no tool may read (the S3 state bucket is always protected)')
    .option('--data-config <file>', 'turn the data tools on for this allowlist (JSON): buckets and databases they may read (docs/data-plane.md)')
    .option('--data-from-state', 'turn the data tools on for the buckets and RDS databases the --state manages (never a state bucket)')
    .option('--verify-readonly', "ask IAM (SimulatePrincipalPolicy) whether the server's role can write, and refuse to start if it can")
    .option('--audit-log <target>', 'audit log: a JSONL file (durable, fsync per batch; default $XDG_STATE_HOME/infra-audit/audit.jsonl, else ~/.local/state/infra-audit/audit.jsonl), or stdout/stderr')
    .option('--audit-log-max-bytes <n>', 'start a new audit log file after this many bytes (the chain continues)', parseNonNegativeInt('--audit-log-max-bytes'))
    .option('--audit-log-rotate <interval>', 'start a new audit log file after this long, e.g. 24h or 7d')
    .option('--audit-forward-splunk <url>', 'also send records to a Splunk HEC endpoint (token: env INFRA_AUDIT_SPLUNK_HEC_TOKEN)')
    .option('--audit-forward-webhook <url>', 'also POST records as JSON arrays to a webhook (optional bearer: env INFRA_AUDIT_WEBHOOK_TOKEN)')
    .option('--audit-spool-dir <dir>', "where forwarders buffer records while the SIEM is unreachable (default: <audit log>.spool)")
    .option('--audit-spool-max-bytes <n>', 'bound on each forwarder spool', parseNonNegativeInt('--audit-spool-max-bytes'))
    .option('--agent-run-id <id>', 'stdio: attribute every tool call to this agent run (set by `infra-audit agent`)')
    .addHelpText(
      'after',
      `
Examples:
  $ infra-audit serve --state ./terraform.tfstate --config ./infra          # stdio, for a desktop client
  $ infra-audit serve --http --port 8080 --tokens-file tokens.json --toolsets s3,checks
  $ INFRA_AUDIT_LOG_HMAC_KEY=... infra-audit serve --http --tokens-file tokens.json --audit-log /var/log/infra-audit/audit.jsonl --audit-log-rotate 24h
  $ claude mcp add infra-audit -- infra-audit serve --state "$PWD/terraform.tfstate"   # installed from the tarball (README: Install)`,
    )
    .action(async (opts) => {
      const { runServeCommand } = await import('./serve.js');
      return finish(await runServeCommand(opts, io));
    });

  program
    .command('agent')
    .description('Give a task to an LLM agent whose only tools are the read-only MCP server; it ends with a findings report and Terraform proposals a human applies.')
    .argument('<task>', 'what to audit, in words')
    .option('--provider <name>', 'anthropic (ANTHROPIC_API_KEY) or openai (any OpenAI-compatible server: OPENAI_BASE_URL, OPENAI_API_KEY)', 'anthropic')
    .option('--model <id>', 'model id (default claude-sonnet-5-5, or gpt-4o with --provider openai)')
    .option('--mcp-url <url>', 'use a running MCP server over Streamable HTTP instead of starting one over stdio')
    .option('--mcp-token-env <name>', 'environment variable holding the bearer token for --mcp-url')
    .option('--max-turns <n>', 'most model turns', parsePositiveInt('--max-turns'))
    .option('--max-tool-calls <n>', 'most tool calls', parsePositiveInt('--max-tool-calls'))
    .option('--max-tokens <n>', 'most tokens, input and output together, over the run', parsePositiveInt('--max-tokens'))
    .option('--timeout <seconds>', 'wall-clock limit of the run', parsePositiveInt('--timeout'))
    .option('--output <dir>', 'where report.json, report.md and proposals/ go (default ./infra-audit-agent-<run id>/)')
    .option('--endpoint-url <url>', 'passed to serve: AWS endpoint (e.g. the sandbox)')
    .option('--state <path...>', 'passed to serve: Terraform state')
    .option('--config <dir>', 'passed to serve: Terraform root module (needed for patches)')
    .option('--region <region>', 'passed to serve: default AWS region')
    .option('--profile <name>', 'passed to serve: AWS profile')
    .option('--toolsets <list>', 'passed to serve: toolsets to enable')
    .option('--audit-log <target>', "passed to serve: the server's audit log (default: audit.jsonl in the output folder)")
    .option('--max-result-chars <n>', 'a tool result longer than this reaches the model cut, with how to page the rest (default 20000)', parsePositiveInt('--max-result-chars'))
    .option('--no-prompt-cache', 'send no cache_control breakpoints (Anthropic), e.g. for a gateway that refuses them')
    .option('--dry-run', 'print the tools, the system prompt and the first request the model would get, and stop: no model is called, no key needed')
    .addHelpText(
      'after',
      `
The agent has the server's read-only tools and nothing else: no shell, no file system, no network of its own.
It writes only inside --output, applies nothing and never runs terraform. Exit 0: a verified report (submitted
through submit_report); 3: an unverified report (findings read from the model's text answer); 1: no report (the
run stopped early; a partial report is written); 2: the command failed.

Examples:
  $ ANTHROPIC_API_KEY=... infra-audit agent "Audit all S3 buckets. Find any with public read access. Return a structured findings report with a remediation step for each." --config ./infra
  $ OPENAI_BASE_URL=http://127.0.0.1:11434/v1 infra-audit agent --provider openai --model qwen2.5:14b "Review IAM for admin-equivalent roles"
  $ MCP_TOKEN=... infra-audit agent --mcp-url https://mcp.example.com/mcp --mcp-token-env MCP_TOKEN "Audit S3 public access"
  $ infra-audit agent --dry-run "Audit S3 public access" --endpoint-url http://127.0.0.1:PORT`,
    )
    .action(async (task: string, opts) => {
      const { runAgentCommand } = await import('./agent.js');
      return finish(await runAgentCommand(task, opts, io));
    });

  program
    .command('iam-policy')
    .description('Print the least-privilege IAM policy the enabled tools need: exact read actions, no wildcard action, secret reads denied.')
    .option('--format <fmt>', 'json or hcl (an aws_iam_policy_document)', 'json')
    .option('--toolsets <list>', 'comma-separated toolsets, as for serve')
    .option('--tools <list>', 'comma-separated tool allowlist, as for serve')
    .option('--data-config <file>', 'as for serve: grant the data reads on exactly these buckets (and their objects)')
    .option('--data-from-state', 'as for serve: grant the data reads on the buckets the --state manages')
    .option('--state <path...>', 'Terraform state: its s3:// address and managed buckets shape the data and deny statements')
    .option('--config <dir>', 'Terraform root module: its backend "s3" bucket is denied')
    .option('--protect-bucket <name...>', 'more buckets to deny, as for serve')
    .addHelpText(
      'after',
      `
Examples:
  $ infra-audit iam-policy > policy.json                                   # no data tools: no object or listing reads at all
  $ infra-audit iam-policy --data-config data-plane.json --config ./infra  # object reads on the allowlist only; the state bucket denied`,
    )
    .action(async (opts) => {
      const { runIamPolicyCommand } = await import('./iam-policy.js');
      return finish(await runIamPolicyCommand(opts, io));
    });

  program
    .command('token')
    .description('Manage bearer tokens for `serve --http`.')
    .command('create')
    .description('Create a random token for a principal; appends its SHA-256 to the tokens file and prints the token once.')
    .requiredOption('--principal <name>', 'who the token identifies (reaches the audit log)')
    .requiredOption('--tokens-file <file>', 'tokens file to create or extend')
    .action(async (opts) => {
      const { runTokenCreateCommand } = await import('./token.js');
      return finish(await runTokenCreateCommand(opts, io));
    });

  const log = program
    .command('log')
    .description('Verify, query and follow the audit log (one OCSF record per MCP request and per AWS call).');
  log
    .command('verify')
    .description('Check the hash chain across FILE... (oldest first); names the first altered, removed, inserted or reordered record. Exit 0 intact, 1 tampered (or nothing to verify: only a torn line).')
    .argument('<files...>', 'audit log files in chain order: rotated files, then the live one')
    .option('--allow-continuation', 'accept a first file that continues an earlier file not given')
    .option('--format <fmt>', 'text or json', 'text')
    .addHelpText('after', '\nHMAC-sealed logs need the key in INFRA_AUDIT_LOG_HMAC_KEY.\n  $ infra-audit log verify ~/.local/state/infra-audit/audit.*.jsonl ~/.local/state/infra-audit/audit.jsonl')
    .action(async (files: string[], opts) => {
      const { runLogVerifyCommand } = await import('./log.js');
      return finish(await runLogVerifyCommand(files, opts, io));
    });
  const filters = (cmd: Command) =>
    cmd
      .option('--caller <principal>', 'only this caller (actor.user.name; * wildcards)')
      .option('--tool <name>', 'only this tool or AWS operation (api.operation; * wildcards)')
      .option('--since <time>', 'ISO time or a duration back from now (15m, 2h, 7d)')
      .option('--until <time>', 'ISO time or a duration back from now')
      .option('--outcome <o>', 'success, error or denied')
      .option('--request-id <id>', 'one MCP request and the AWS calls made for it (the full id, or a unique prefix such as the 8 characters the table shows)')
      .option('--kind <k>', 'mcp, aws, http or all', 'all')
      .option('--format <fmt>', 'table or json (JSON lines, as stored)', 'table');
  filters(log.command('query').description('Print the records of FILE... that match the filters.').argument('<files...>', 'audit log files')).action(async (files: string[], opts) => {
    const { runLogQueryCommand } = await import('./log.js');
    return finish(await runLogQueryCommand(files, opts, io));
  });
  filters(log.command('tail').description('Print the last records of FILE, then follow it (across rotation) until interrupted.').argument('<file>', 'the live audit log file'))
    .option('-n, --lines <n>', 'records to print first', parseNonNegativeInt('--lines'), 10)
    .option('--no-follow', 'print and exit')
    .action(async (file: string, opts) => {
      const { runLogTailCommand } = await import('./log.js');
      return finish(await runLogTailCommand(file, opts, io));
    });

  return program;
}

/** Hidden: the 10 s between progress lines when stderr is not a terminal, shortened by tests. */
function progressIntervalOption(): Option {
  return new Option('--progress-interval <ms>', 'milliseconds between progress lines off a terminal').argParser(parsePositiveInt('--progress-interval')).hideHelp();
}

let exitCode = 0;
function finish(code: number): void {
  exitCode = code;
}

function parseNonNegativeInt(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InfraAuditError('USAGE', `${flag} expects a whole number, got "${value}"`, { hint: `e.g. ${flag} 20` });
    return Number(value);
  };
}

function parsePort(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InfraAuditError('USAGE', `${flag} expects a port number from 0 to 65535, got "${value}"`, { hint: `e.g. ${flag} 8080, or ${flag} 0 for a free one` });
    return Number(value);
  };
}

function parsePositiveInt(flag: string) {
  return (value: string): number => {
    if (!/^[1-9]\d*$/.test(value)) throw new InfraAuditError('USAGE', `${flag} expects a whole number of at least 1, got "${value}"`, { hint: `e.g. ${flag} 7` });
    return Number(value);
  };
}

function parsePositiveSeconds(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || !(n > 0) || n > 3600) throw new InfraAuditError('USAGE', `${flag} expects seconds between 0 and 3600, got "${value}"`, { hint: `e.g. ${flag} 10 (or 0.5)` });
    return n;
  };
}

function parseRate(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || n < 0 || n > 1) throw new InfraAuditError('USAGE', `${flag} expects a fraction between 0 and 1, got "${value}"`, { hint: `e.g. ${flag} 0.05` });
    return n;
  };
}

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  exitCode = 0;
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (io.signal.aborted) {
      // A command stopped by Ctrl-C/SIGTERM fails with whatever its cancelled calls threw; that is not the story.
      const signal = String(io.signal.reason);
      io.stderr.write(`infra-audit: interrupted by ${signal}; in-flight AWS calls were cancelled and no report was written\n`);
      return signalExitCode(signal);
    }
    if (err instanceof CommanderError) {
      // Help and version are successes; commander already printed its own usage errors.
      return err.exitCode === 0 ? 0 : 2;
    }
    // Error text can quote inputs (a state, a connection string): it is redacted like any output.
    const redactor = new Redactor();
    if (err instanceof InfraAuditError) {
      io.stderr.write(`infra-audit: ${redactor.redactText(err.toUserString())}\n`);
      return err.exitCode;
    }
    io.stderr.write(`infra-audit: unexpected internal error: ${redactor.redactText(err instanceof Error ? err.message : String(err))}\n`);
    if (process.env.INFRA_AUDIT_DEBUG) io.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    else io.stderr.write('  hint: this is a bug; rerun with INFRA_AUDIT_DEBUG=1 for details and report it\n');
    return 2;
  }
}

function invokedAsScript(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    // npm's bin shim is a symlink: compare real paths.
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedAsScript()) {
  // A reader that stops early (`| head`) closes the pipe: the rest of the output has nowhere to go, and that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
  // A second Ctrl-C/SIGTERM ends the process at once, whatever the command is doing.
  const io = processIO((signal) => process.exit(signalExitCode(signal)));
  main(process.argv.slice(2), io).then(
    (code) => {
      // After an interruption, a retry's backoff timer or a half-closed socket must not hold the exit.
      if (io.signal.aborted) process.exit(code);
      process.exitCode = code;
    },
    () => {
      process.exitCode = 2;
    },
  );
}

/** A repeatable option: every occurrence kept, in order. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
