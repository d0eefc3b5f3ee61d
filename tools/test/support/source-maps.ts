import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

interface SourceMap {
  sources?: string[];
  sourceRoot?: string;
  sourcesContent?: (string | null)[];
}

/**
 * What is wrong with the source maps of an installed package: for every `.map` among `files`
 * (paths inside the tarball), each source must either be embedded (`sourcesContent`) or be a
 * file the tarball ships. Returns one line per source that is neither.
 */
export function sourceMapProblems(installedDir: string, files: readonly string[]): string[] {
  const shipped = new Set(files.map((file) => posix.normalize(file)));
  return files
    .filter((file) => file.endsWith('.map'))
    .flatMap((file) => {
      const map = JSON.parse(readFileSync(join(installedDir, file), 'utf8')) as SourceMap;
      return (map.sources ?? []).flatMap((source, i) => {
        if (typeof map.sourcesContent?.[i] === 'string') return [];
        const target = posix.normalize(
          posix.join(posix.dirname(file), map.sourceRoot ?? '', source),
        );
        return shipped.has(target)
          ? []
          : [`${file}: "${source}" is neither embedded nor shipped (${target})`];
      });
    });
}
