import {
  type MarkdownBlock,
  type MarkdownInline,
  type MarkdownListItem,
  parseMarkdown,
} from "@countersign/markdown";
import { useMemo } from "preact/hooks";

/**
 * Renders agent-written Markdown (the shared `@countersign/markdown` tree)
 * as DOM nodes: every string is a text node, never HTML, and every link
 * already passed the http/https/mailto allow-list. Headings start at h3:
 * the card owns h1 and h2.
 */
export function MarkdownView({ source }: { source: string }) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return <div class="markdown">{renderBlocks(blocks)}</div>;
}

function renderBlocks(blocks: MarkdownBlock[]) {
  return blocks.map(renderBlock);
}

function renderBlock(block: MarkdownBlock, index: number) {
  switch (block.kind) {
    case "heading": {
      const Tag = `h${Math.min(block.depth + 2, 6)}` as "h3";
      return <Tag key={index}>{renderInlines(block.children)}</Tag>;
    }
    case "paragraph":
      return <p key={index}>{renderInlines(block.children)}</p>;
    case "list": {
      const items = block.items.map((item, itemIndex) => (
        <li key={itemIndex}>{renderItem(item, block.tight)}</li>
      ));
      return block.ordered ? (
        <ol key={index} start={block.start}>
          {items}
        </ol>
      ) : (
        <ul key={index}>{items}</ul>
      );
    }
    case "code":
      return (
        <pre key={index}>
          <code>{block.text}</code>
        </pre>
      );
    case "quote":
      return <blockquote key={index}>{renderBlocks(block.children)}</blockquote>;
    case "rule":
      return <hr key={index} />;
    case "table":
      return (
        <div key={index} class="markdown-table">
          <table>
            <thead>
              <tr>
                {block.header.map((cell, column) => (
                  <th key={column} scope="col" class={alignment(block.align[column])}>
                    {renderInlines(cell)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.map((cell, column) => (
                    <td key={column} class={alignment(block.align[column])}>
                      {renderInlines(cell)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

/** A class, not a style attribute: the inbox's CSP allows no inline styles. */
function alignment(align: "left" | "right" | "center" | null | undefined) {
  return align ? `align-${align}` : undefined;
}

/** A tight list's paragraphs are bare lines, as CommonMark renders them. */
function renderItem(item: MarkdownListItem, tight: boolean) {
  const box =
    item.checked === null ? null : (
      <input
        type="checkbox"
        checked={item.checked}
        disabled
        aria-label={item.checked ? "done" : "not done"}
      />
    );
  const children = item.children.map((child, index) =>
    tight && child.kind === "paragraph" ? (
      <span key={index}>{renderInlines(child.children)}</span>
    ) : (
      renderBlock(child, index)
    ),
  );
  return (
    <>
      {box}
      {children}
    </>
  );
}

function renderInlines(inlines: MarkdownInline[]) {
  return inlines.map(renderInline);
}

function renderInline(inline: MarkdownInline, index: number) {
  switch (inline.kind) {
    case "text":
      return inline.text;
    case "break":
      return <br key={index} />;
    case "code":
      return <code key={index}>{inline.text}</code>;
    case "strong":
      return <strong key={index}>{renderInlines(inline.children)}</strong>;
    case "emphasis":
      return <em key={index}>{renderInlines(inline.children)}</em>;
    case "delete":
      return <del key={index}>{renderInlines(inline.children)}</del>;
    case "link":
      return (
        <a
          key={index}
          href={inline.href}
          class={inline.image ? "markdown-image-link" : undefined}
          rel="noopener noreferrer nofollow"
          target="_blank"
        >
          {renderInlines(inline.children)}
        </a>
      );
  }
}
