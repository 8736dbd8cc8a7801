// Hooks into WebAssembly for the simulator worker.
//
// The webassembly port only collects garbage when control returns to JS at
// top level, so a long allocating loop grows the wasm heap without limit.
// A board would raise MemoryError; we cap the linear memory instead and let
// the host reset the board with a clear message. (Failing the grow makes the
// port retry forever rather than raise, so we stop at the cap ourselves.)

export function capWasmMemory(capBytes: number, onCap: (bytes: number) => never): void {
  const grow = WebAssembly.Memory.prototype.grow;
  WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, delta: number): number {
    const next = this.buffer.byteLength + delta * 65536;
    if (next > capBytes) onCap(next);
    return grow.call(this, delta);
  };
}

/**
 * The loader compiles micropython.wasm itself; compiling it once per process
 * and handing every worker the compiled module saves most of a board's start.
 */
export function useCompiledWasm(module: WebAssembly.Module): void {
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = (async (source: unknown, imports?: WebAssembly.Imports) => {
    if (source instanceof WebAssembly.Module) return instantiate(source, imports);
    const instance = await instantiate(module, imports);
    return { module, instance };
  }) as typeof WebAssembly.instantiate;
}
