import { describe, expect, it } from 'vitest';
import { encodeTerm, quoteAddress, textDirective } from '../../src/domain/text-fragment';

describe('the text fragment of a quote', () => {
  it('is the whole quote when it is a few words on one line', () => {
    expect(textDirective('Revenue grew 12% over the quarter.')).toBe('Revenue%20grew%2012%25%20over%20the%20quarter.');
    expect(textDirective('  spaced \t out  ')).toBe('spaced%20out');
  });

  it('percent-encodes what the directive syntax reserves: - , &', () => {
    expect(encodeTerm('state-of-the-art, R&D')).toBe('state%2Dof%2Dthe%2Dart%2C%20R%26D');
    expect(textDirective('Q3-Q4, sales & costs')).toBe('Q3%2DQ4%2C%20sales%20%26%20costs');
    expect(encodeTerm('café #1 50/50 ?')).toBe('caf%C3%A9%20%231%2050%2F50%20%3F');
  });

  it('goes by the first and last words of a long quote', () => {
    expect(textDirective('one two three four five six seven eight nine')).toBe('one%20two%20three%20four,six%20seven%20eight%20nine');
    expect(textDirective('a b c d e f g h')).toBe('a%20b%20c%20d%20e%20f%20g%20h');
  });

  it('never lets the end words overlap the start words', () => {
    expect(textDirective('w1 w2 w3 w4 w5 w6 w7 w8 w9')).toBe('w1%20w2%20w3%20w4,w6%20w7%20w8%20w9');
    expect(textDirective('w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12')).toBe('w1%20w2%20w3%20w4,w9%20w10%20w11%20w12');
  });

  it('takes the start from the first line and the end from the last when the quote spans blocks', () => {
    expect(textDirective('First paragraph here.\n\nA middle one.\r\nThe last, short-lived one')).toBe(
      'First%20paragraph%20here.,The%20last%2C%20short%2Dlived%20one',
    );
    expect(textDirective('Title\nline with many words in it to be cut at the end')).toBe('Title,cut%20at%20the%20end');
  });

  it('is empty for a quote of only blanks', () => {
    expect(textDirective(' \n\t ')).toBe('');
  });
});

describe("a quote's address", () => {
  it('adds the fragment to the page address', () => {
    expect(quoteAddress('https://example.com/q3?x=1', 'Revenue grew')).toBe('https://example.com/q3?x=1#:~:text=Revenue%20grew');
  });

  it("keeps the page's own fragment and replaces a text directive already there", () => {
    expect(quoteAddress('https://example.com/q3#results', 'Revenue')).toBe('https://example.com/q3#results:~:text=Revenue');
    expect(quoteAddress('https://example.com/q3#results:~:text=old', 'new')).toBe('https://example.com/q3#results:~:text=new');
    expect(quoteAddress('https://example.com/q3#:~:text=old&text=older', 'new')).toBe('https://example.com/q3#:~:text=new');
  });

  it('leaves an address as it is with no quote, or when it is not a web page', () => {
    expect(quoteAddress('https://example.com/', '   ')).toBe('https://example.com/');
    expect(quoteAddress('file:///home/a.html', 'words')).toBe('file:///home/a.html');
    expect(quoteAddress('chrome://settings/', 'words')).toBe('chrome://settings/');
  });
});
