import { useMemo } from "preact/hooks";
import { type Block, type Inline, parseMarkdown } from "../lib/markdown.ts";

/** Renders agent-written Markdown as text nodes only. Headings start at h3: the card owns h1 and h2. */
export function MarkdownView({ source }: { source: string }) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return <div class="markdown">{blocks.map(renderBlock)}</div>;
}

function renderBlock(block: Block, index: number) {
  switch (block.kind) {
    case "heading": {
      const Tag = `h${Math.min(block.level + 2, 6)}` as "h3";
      return <Tag key={index}>{renderInlines(block.children)}</Tag>;
    }
    case "paragraph":
      return <p key={index}>{renderInlines(block.children)}</p>;
    case "list": {
      const items = block.items.map((item, itemIndex) => <li key={itemIndex}>{renderInlines(item)}</li>);
      return block.ordered ? <ol key={index}>{items}</ol> : <ul key={index}>{items}</ul>;
    }
    case "code":
      return (
        <pre key={index}>
          <code>{block.text}</code>
        </pre>
      );
    case "quote":
      return <blockquote key={index}>{renderInlines(block.children)}</blockquote>;
    case "rule":
      return <hr key={index} />;
  }
}

function renderInlines(inlines: Inline[]) {
  return inlines.map(renderInline);
}

function renderInline(inline: Inline, index: number) {
  switch (inline.kind) {
    case "text":
      return inline.text;
    case "code":
      return <code key={index}>{inline.text}</code>;
    case "strong":
      return <strong key={index}>{renderInlines(inline.children)}</strong>;
    case "em":
      return <em key={index}>{renderInlines(inline.children)}</em>;
  }
  return (
    <a key={index} href={inline.href} rel="noopener noreferrer nofollow" target="_blank">
      {renderInlines(inline.children)}
    </a>
  );
}
