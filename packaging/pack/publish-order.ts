/**
 * `publishOrder`: the workspace packages sorted so each comes after the packages it depends on — the order
 * to build and pack them in — or an error naming the cycle when there is none.
 * @module
 */

/** The parts of a package.json the order reads. */
export interface PackageManifest {
  name: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  scripts?: Record<string, string>;
  exports?: Record<string, unknown>;
}

/** A package of the workspace: its directory name under `packages/` and its manifest. */
export interface WorkspacePackage {
  directory: string;
  manifest: PackageManifest;
}

/**
 * The packages, each after its workspace dependencies (`dependencies`, plus `devDependencies` when
 * `includeDev`); ties keep the input order. Throws `Error` naming the cycle when there is one.
 */
export function publishOrder(
  packages: readonly WorkspacePackage[],
  options: { includeDev: boolean },
): WorkspacePackage[] {
  const byName = new Map(packages.map((p) => [p.manifest.name, p]));
  const edges = (p: WorkspacePackage) =>
    Object.keys({ ...p.manifest.dependencies, ...(options.includeDev ? p.manifest.devDependencies : {}) }).filter(
      (name) => byName.has(name) && name !== p.manifest.name,
    );
  const order: WorkspacePackage[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: WorkspacePackage, path: string[]) => {
    const name = p.manifest.name;
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new Error(`The workspace packages depend on each other in a cycle: ${cycle.join(' → ')}.`);
    }
    state.set(name, 'visiting');
    for (const dependency of edges(p)) visit(byName.get(dependency)!, [...path, name]);
    state.set(name, 'done');
    order.push(p);
  };
  for (const p of packages) visit(p, []);
  return order;
}
