/** The syntax tree of an HCL native-syntax expression, with source offsets on every node. */

export type BinaryOperator = '*' | '/' | '%' | '+' | '-' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';

interface Node {
  /** Offsets into the parsed source, for quoting an expression back in an Unknown. */
  start: number;
  end: number;
}

export type Expr =
  | (Node & { kind: 'literal'; value: null | boolean | number | string })
  /** `source`, when set, is the text this node's descendants' offsets refer to (a heredoc body). */
  | (Node & { kind: 'template'; parts: Array<string | Expr>; quoted: boolean; source?: string })
  | (Node & { kind: 'directive'; reason: string })
  | (Node & { kind: 'tuple'; items: Expr[] })
  | (Node & { kind: 'object'; items: Array<{ key: Expr; value: Expr }> })
  | (Node & { kind: 'variable'; name: string })
  | (Node & { kind: 'getattr'; target: Expr; name: string })
  | (Node & { kind: 'index'; target: Expr; key: Expr })
  /** `list[*].a.b`: `each` is applied to every element, bound to the variable SPLAT_ELEMENT. */
  | (Node & { kind: 'splat'; target: Expr; each: Expr })
  | (Node & { kind: 'call'; name: string; args: Expr[]; expandFinal: boolean })
  | (Node & {
      kind: 'for';
      keyVar: string | undefined;
      valueVar: string;
      collection: Expr;
      keyExpr: Expr | undefined;
      valueExpr: Expr;
      condition: Expr | undefined;
      grouping: boolean;
    })
  | (Node & { kind: 'unary'; op: '!' | '-'; operand: Expr })
  | (Node & { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr })
  | (Node & { kind: 'conditional'; condition: Expr; then: Expr; otherwise: Expr })
  | (Node & { kind: 'parens'; inner: Expr });

export const SPLAT_ELEMENT = '\u0000splat';
