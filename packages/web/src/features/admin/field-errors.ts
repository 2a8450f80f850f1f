/** One problem the server found in a request body, as `validation_failed` details carry it. */
export interface FieldProblemLike {
  field: string;
  reason: string;
  message: string;
}

function isFieldProblem(value: unknown): value is FieldProblemLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    'field' in value &&
    typeof value.field === 'string' &&
    'reason' in value &&
    typeof value.reason === 'string' &&
    'message' in value &&
    typeof value.message === 'string'
  );
}

/**
 * Splits the server's field problems into those a form can show on its own fields (`body.username` →
 * `username`) and the rest, which the form shows above its buttons. `text` picks the words per problem.
 */
export function toFormErrors<F extends string>(
  details: unknown,
  fields: readonly F[],
  text: (problem: FieldProblemLike) => string = (p) => p.message,
): { fields: { name: F; errors: string[] }[]; other: string[] } {
  const byField = new Map<F, string[]>();
  const other: string[] = [];
  for (const problem of Array.isArray(details) ? details.filter(isFieldProblem) : []) {
    const name = problem.field.replace(/^body\./, '').split('.')[0] ?? '';
    const field = fields.find((f) => f === name);
    if (field) byField.set(field, [...(byField.get(field) ?? []), text(problem)]);
    else other.push(`${problem.field}: ${text(problem)}`);
  }
  return { fields: [...byField].map(([name, errors]) => ({ name, errors })), other };
}
