import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './deploy-files';

/**
 * What the JSON-schema validators of `kubernetes-models` do not check: fields the Kubernetes API does not
 * have (a typo such as `containerport` would be dropped by the API server, silently). The package's type
 * declarations mirror the same schemas, so each object is written as a typed TypeScript object literal and
 * type-checked: TypeScript refuses properties a literal's type does not declare, at every depth.
 * Returns one message per problem, naming the object (empty: none).
 */
export function unknownFields(objects: readonly { apiVersion: string; kind: string; metadata?: { name?: string } }[]): string[] {
  const fileName = join(REPO_ROOT, 'test', 'deploy', '__manifests-as-typescript__.ts');
  const lines = objects.map(
    (object, index) =>
      `const object${index}: import('kubernetes-models/${object.apiVersion}/${object.kind}').I${object.kind} = ${JSON.stringify(object)};`,
  );
  const source = `${lines.join('\n')}\nexport {};\n`;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    noUnusedLocals: false,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const readSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === fileName ? ts.createSourceFile(name, source, language) : readSourceFile(name, language, ...rest);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const line =
      diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line : -1;
    const object = objects[line];
    const what = object ? `${object.kind} ${object.metadata?.name ?? '?'}` : 'manifests';
    return `${what}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}
