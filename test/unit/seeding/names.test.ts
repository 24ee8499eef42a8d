import { describe, expect, it } from 'vitest';
import { buildNamePools, drawPerson, emailSuffix, listLocales, Prng, slugify } from '../../../src/seeding/generate/index.js';

describe('buildNamePools', () => {
  it('reads faker pt_BR names, gendered, with Brazilian email providers', () => {
    const pools = buildNamePools('pt_BR');
    expect(pools.female.first.names.length).toBeGreaterThan(50);
    expect(pools.male.first.names.length).toBeGreaterThan(50);
    expect(pools.female.first.names).toContain('Maria Eduarda');
    expect(pools.male.last.names).toContain('Silva');
    expect(pools.domains).toContain('gmail.com');
    expect(pools.domains).toContain('uol.com.br');
    expect(buildNamePools()).toBe(pools); // pt_BR is the default, and pools are cached
  });

  it('falls back like faker when a locale lacks names, and keeps gendered surnames', () => {
    const us = buildNamePools('en_US');
    expect(us.female.first.names.length).toBeGreaterThan(100);
    const ru = buildNamePools('ru');
    expect(ru.female.last.names).not.toEqual(ru.male.last.names);
  });

  it('refuses an unknown locale with a helpful message', () => {
    expect(() => buildNamePools('klingon')).toThrow(/Unknown locale "klingon".*pt_BR/);
    expect(() => buildNamePools('base')).toThrow(/Unknown locale/);
    expect(listLocales()).toContain('pt_BR');
  });
});

describe('slugify', () => {
  it('lower-cases and strips accents and non-letters', () => {
    expect(slugify('Conceição')).toBe('conceicao');
    expect(slugify('Ana Júlia')).toBe('anajulia');
    expect(slugify("D'Ávila-Núñez")).toBe('davilanunez');
    expect(slugify('Иван')).toBe('');
  });
});

describe('emailSuffix', () => {
  it('is injective over the first 1.2 million indices, all digits', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_200_000; i++) seen.add(emailSuffix(i));
    expect(seen.size).toBe(1_200_000);
    expect(emailSuffix(0)).toMatch(/^\d{3}$/);
    expect(emailSuffix(999)).toMatch(/^\d{3}$/);
    expect(emailSuffix(1000)).toMatch(/^\d{4}$/);
    expect(emailSuffix(123_456)).toMatch(/^\d{6}$/);
    expect(emailSuffix(5_000_000_000)).toBe('5000000000');
  });

  it('does not look sequential', () => {
    expect(emailSuffix(1001)).not.toBe('1001');
    expect(Math.abs(Number(emailSuffix(5001)) - Number(emailSuffix(5000)))).toBeGreaterThan(1);
  });
});

describe('drawPerson', () => {
  it('composes Brazilian-looking names and emails derived from them', () => {
    const pools = buildNamePools('pt_BR');
    const prng = new Prng(5);
    let twoSurnames = 0;
    let twoGiven = 0;
    for (let i = 0; i < 2000; i++) {
      const p = drawPerson(prng, pools, i);
      expect(p.email).toMatch(/^[a-z._]+\d{3,4}@[a-z.]+$/);
      const [local] = p.email.split('@');
      const lastWord = slugify(p.last_name.split(/[ -]/).pop()!);
      const firstWord = slugify(p.first_name.split(' ')[0]!);
      expect(local!.includes(lastWord) || local!.includes(firstWord), p.email).toBe(true);
      if (p.last_name.includes(' ')) twoSurnames++;
      if (p.first_name.includes(' ')) twoGiven++;
    }
    expect(twoSurnames / 2000).toBeGreaterThan(0.5);
    expect(twoGiven / 2000).toBeGreaterThan(0.2);
  });

  it('works for non-Latin locales (emails fall back to a Latin local part)', () => {
    const pools = buildNamePools('ja');
    const p = drawPerson(new Prng(1), pools, 42);
    expect(p.first_name.length).toBeGreaterThan(0);
    expect(p.email).toMatch(/^[a-z._]+\d+@[a-z0-9.-]+$/);
  });
});
