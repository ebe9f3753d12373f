import { cell, renderRecord, renderTable, type Column } from './table';

interface Row {
  name: string;
  count: number | null;
  tags: string[];
}

const columns: Column<Row>[] = [
  { header: 'name', value: (row) => row.name },
  { header: 'count', value: (row) => row.count, align: 'right' },
  { header: 'tags', value: (row) => row.tags },
];

describe('renderTable', () => {
  it('aligns columns under upper-case headers, numbers to the right, no trailing spaces', () => {
    const text = renderTable<Row>(
      [
        { name: 'a-long-name', count: 7, tags: ['x', 'y'] },
        { name: 'b', count: 1234, tags: [] },
      ],
      columns,
    );
    expect(text).toBe(['NAME         COUNT  TAGS', 'a-long-name      7  x,y', 'b             1234  -', ''].join('\n'));
  });

  it('says (none) for no rows', () => {
    expect(renderTable<Row>([], columns)).toBe('(none)\n');
  });

  it('bolds the header only when asked (a terminal)', () => {
    expect(renderTable<Row>([{ name: 'a', count: null, tags: [] }], columns, { color: true }).split('\n')[0]).toBe(
      '\u001b[1mNAME  COUNT  TAGS\u001b[0m',
    );
  });
});

describe('cell', () => {
  it('keeps a row on one line whatever the value holds', () => {
    expect(cell('line one\nline two\ttab')).toBe('line one line two tab');
    expect(cell(null)).toBe('-');
    expect(cell({ a: 1 })).toBe('{"a":1}');
    expect(cell(false)).toBe('false');
  });
});

describe('renderRecord', () => {
  it('aligns labels', () => {
    expect(
      renderRecord([
        ['id', 'x'],
        ['active profile', null],
      ]),
    ).toBe('id:             x\nactive profile: -\n');
  });
});
