import { useEffect, useState } from "preact/hooks";

/** The text search: sent to the server on submit, so it reaches every page, not just the loaded one. */
export function ListSearch({ value, onSearch }: { value: string; onSearch: (text: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <search class="search">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSearch(text.trim());
        }}
      >
        <label for="list-search">Search title, agent, action or any argument value</label>
        <div class="search-row">
          <input
            id="list-search"
            type="search"
            maxLength={200}
            placeholder="e.g. PO-88231"
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
          />
          <button type="submit" class="button secondary">
            Search
          </button>
        </div>
      </form>
    </search>
  );
}
