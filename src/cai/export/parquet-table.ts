import { ByteWriter, ParquetWriter, type SchemaElement, type Writer } from 'hyparquet-writer';
import type { AtomicFile } from '../../util/atomic-write.js';

/** Kinds of column the exports write: text, a number, or a list of chat messages (list<struct<content, role>>). */
export type ParquetColumnKind = 'string' | 'double' | 'messages';

/** One column of a table: its name and kind. */
export interface ParquetColumn {
  name: string;
  kind: ParquetColumnKind;
}

const ROWS_PER_GROUP = 1000;

/** Schema elements of one column, as Hugging Face datasets writes them (struct fields `content` then `role`). */
function columnSchema(column: ParquetColumn): SchemaElement[] {
  switch (column.kind) {
    case 'string':
      return [{ name: column.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }];
    case 'double':
      return [{ name: column.name, type: 'DOUBLE', repetition_type: 'OPTIONAL' }];
    case 'messages':
      return [
        { name: column.name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
        { name: 'content', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'role', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ];
  }
}

/** A hyparquet Writer whose bytes go into an atomic file, handed over after each row group (memory stays bounded). */
function atomicFileWriter(file: AtomicFile): Writer {
  const writer = new ByteWriter() as ByteWriter & { flush(): void };
  writer.flush = () => {
    file.write(new Uint8Array(writer.buffer, 0, writer.index).slice());
    writer.index = 0;
  };
  writer.finish = () => writer.flush();
  return writer as unknown as Writer;
}

/**
 * A Parquet table written row by row (hyparquet-writer; Snappy-compressed, row groups of 1,000, so memory stays at one
 * group) into `file`, an atomic file the caller commits after `finish()`. Messages columns are
 * list<struct<content, role>>, the layout of Hugging Face's chat datasets; a missing value is null.
 *
 * @example
 * const file = openAtomicFile('out/sft.parquet');
 * try {
 *   const table = new ParquetTableWriter(file, [{ name: 'messages', kind: 'messages' }]);
 *   for (const row of rows) table.write(row);
 *   table.finish();
 *   file.commit();
 * } finally { file.abort(); }
 */
export class ParquetTableWriter {
  readonly #writer: ParquetWriter;
  #group: Record<string, unknown>[] = [];

  constructor(
    file: AtomicFile,
    readonly columns: ParquetColumn[],
  ) {
    const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }, ...columns.flatMap(columnSchema)];
    this.#writer = new ParquetWriter({ writer: atomicFileWriter(file), schema, createdBy: 'redcard' });
  }

  write(row: Record<string, unknown>): void {
    this.#group.push(row);
    if (this.#group.length >= ROWS_PER_GROUP) this.#flush();
  }

  /** Write the last row group and the footer. */
  finish(): void {
    this.#flush();
    this.#writer.finish();
  }

  #flush(): void {
    const group = this.#group;
    if (group.length === 0) return;
    this.#group = [];
    const columnData = this.columns.map((column) => ({
      name: column.name,
      data: group.map((row) => {
        const value = row[column.name];
        if (value === undefined || value === null) return null;
        return column.kind === 'messages' ? (value as Array<{ role: string; content: string }>).map(({ content, role }) => ({ content, role })) : value;
      }),
    }));
    this.#writer.write({ columnData: columnData as never, rowGroupSize: group.length });
  }
}
