import { describe, expect, it } from 'vitest';
import { MoteIgnore } from './moteignore.js';

describe('.moteignore', () => {
  const ig = MoteIgnore.parse(
    [
      '# comment',
      '',
      '*.log',
      'build/',
      '/secrets.py',
      'docs/**/*.md',
      '**/tmp',
      'data/*',
      '!data/keep.csv',
      'test_?.py',
      'img[0-9].png',
      '\\#literal',
      'trailing   ',
    ].join('\n'),
  );

  it('ignores the defaults: .git/, __pycache__/, node_modules/, .moteignore', () => {
    expect(ig.ignores('.git', true)).toBe(true);
    expect(ig.ignores('lib/__pycache__', true)).toBe(true);
    expect(ig.ignores('node_modules', true)).toBe(true);
    expect(ig.ignores('.moteignore', false)).toBe(true);
    // A file named like a default folder is not a folder.
    expect(ig.ignores('.git', false)).toBe(false);
  });

  it('matches * and ? within one path segment, at any depth when the pattern has no slash', () => {
    expect(ig.ignores('err.log', false)).toBe(true);
    expect(ig.ignores('a/b/err.log', false)).toBe(true);
    expect(ig.ignores('err.log.py', false)).toBe(false);
    expect(ig.ignores('test_1.py', false)).toBe(true);
    expect(ig.ignores('test_12.py', false)).toBe(false);
    expect(ig.ignores('img7.png', false)).toBe(true);
    expect(ig.ignores('imgx.png', false)).toBe(false);
  });

  it('a trailing slash matches folders only', () => {
    expect(ig.ignores('build', true)).toBe(true);
    expect(ig.ignores('src/build', true)).toBe(true);
    expect(ig.ignores('build', false)).toBe(false);
  });

  it('a leading slash anchors at the root', () => {
    expect(ig.ignores('secrets.py', false)).toBe(true);
    expect(ig.ignores('lib/secrets.py', false)).toBe(false);
  });

  it('** spans folders', () => {
    expect(ig.ignores('docs/a.md', false)).toBe(true);
    expect(ig.ignores('docs/x/y/a.md', false)).toBe(true);
    expect(ig.ignores('other/a.md', false)).toBe(false);
    expect(ig.ignores('tmp', true)).toBe(true);
    expect(ig.ignores('a/b/tmp', false)).toBe(true);
  });

  it('! re-includes; the last matching rule wins', () => {
    expect(ig.ignores('data/a.csv', false)).toBe(true);
    expect(ig.ignores('data/keep.csv', false)).toBe(false);
  });

  it('escapes and trailing spaces', () => {
    expect(ig.ignores('#literal', false)).toBe(true);
    expect(ig.ignores('trailing', false)).toBe(true);
  });

  it('ignoresPath: a file inside an ignored folder stays ignored', () => {
    expect(ig.ignoresPath('build/main.py')).toBe(true);
    expect(ig.ignoresPath('lib/__pycache__/x.mpy')).toBe(true);
    expect(ig.ignoresPath('lib/main.py')).toBe(false);
  });

  it('without defaults, nothing is ignored but what the text says', () => {
    const bare = MoteIgnore.parse('x.py', false);
    expect(bare.ignores('.git', true)).toBe(false);
    expect(bare.ignores('x.py', false)).toBe(true);
    expect(MoteIgnore.parse('!.moteignore').ignores('.moteignore', false)).toBe(false);
  });
});
