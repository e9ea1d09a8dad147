/**
 * Emscripten builds (libyara-wasm does) install process-wide `uncaughtException` and `unhandledRejection`
 * handlers when an instance is made. Those handlers rethrow whatever reaches them, changing how the whole process
 * fails, and they keep the instance, with its whole heap, alive after it is dropped. They are installed while the
 * factory runs, and are removed right after it returns; handlers that other code adds later are left alone.
 */
export function withoutProcessHandlers<T>(make: () => Promise<T>): Promise<T> {
  const before = {
    exception: new Set(process.listeners("uncaughtException")),
    rejection: new Set(process.listeners("unhandledRejection")),
  };
  const made = make();
  for (const l of process.listeners("uncaughtException"))
    if (!before.exception.has(l)) process.removeListener("uncaughtException", l);
  for (const l of process.listeners("unhandledRejection"))
    if (!before.rejection.has(l)) process.removeListener("unhandledRejection", l);
  return made;
}
