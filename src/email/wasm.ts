/**
 * Emscripten builds (libyara-wasm, 7z-wasm) install process-wide `uncaughtException` and `unhandledRejection`
 * handlers when an instance is made. Those handlers rethrow whatever reaches them, changing how the whole process
 * fails, and they keep the instance, with its whole heap, alive after it is dropped. They are removed as soon as
 * they appear: right after the factory is called, and again once the instance is ready.
 */
export function withoutProcessHandlers<T>(make: () => Promise<T>): Promise<T> {
  const before = {
    exception: new Set(process.listeners("uncaughtException")),
    rejection: new Set(process.listeners("unhandledRejection")),
  };
  const dropAdded = (): void => {
    for (const l of process.listeners("uncaughtException"))
      if (!before.exception.has(l)) process.removeListener("uncaughtException", l);
    for (const l of process.listeners("unhandledRejection"))
      if (!before.rejection.has(l)) process.removeListener("unhandledRejection", l);
  };
  const made = make();
  dropAdded();
  void made.then(dropAdded, dropAdded);
  return made;
}
