/**
 * The error of class `type` that `fn` throws, for asserting on its fields. Fails the test when
 * `fn` throws nothing; any other error is rethrown as is. Usable from unit and integration tests.
 */
export function thrownBy<E extends Error>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    fn();
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`expected a ${type.name}`);
}
