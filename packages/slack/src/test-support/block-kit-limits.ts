/**
 * Block Kit's documented limits (docs.slack.dev, Block Kit reference:
 * blocks, block elements, composition objects, modals; chat.postMessage),
 * checked over a message or a view. Slack answers `invalid_blocks` for a
 * payload over any of them, and the card stops updating: every card and
 * view the tests send goes through `blockKitProblems` (see slack-api.ts).
 */
export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  messageText: 40_000,
  blockId: 255,
  actionId: 255,
  headerText: 150,
  sectionText: 3_000,
  sectionFields: 10,
  sectionFieldText: 2_000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2_000,
  buttonUrl: 3_000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3_000,
  callbackId: 255,
  inputLabel: 2_000,
  inputHint: 2_000,
  placeholder: 150,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
} as const;

type Json = Record<string, unknown>;

/** Every limit the payload breaks, as readable lines; empty when Slack would accept it. */
export function blockKitProblems(payload: { text?: unknown; blocks?: unknown; view?: unknown }): string[] {
  const problems: string[] = [];
  const L = BLOCK_KIT_LIMITS;
  const tooLong = (where: string, value: unknown, max: number) => {
    if (typeof value !== "string") return;
    if (value.length > max) problems.push(`${where}: ${value.length} characters, limit ${max}`);
  };
  const textObject = (where: string, value: unknown, max: number) => {
    const object = value as Json | undefined;
    if (!object) return;
    if (typeof object.text !== "string" || object.text.length === 0) problems.push(`${where}: empty text`);
    tooLong(where, object.text, max);
  };
  const button = (where: string, element: Json) => {
    textObject(`${where}.text`, element.text, L.buttonText);
    tooLong(`${where}.value`, element.value, L.buttonValue);
    tooLong(`${where}.url`, element.url, L.buttonUrl);
    tooLong(`${where}.action_id`, element.action_id, L.actionId);
    const confirm = element.confirm as Json | undefined;
    if (confirm) {
      textObject(`${where}.confirm.title`, confirm.title, L.confirmTitle);
      textObject(`${where}.confirm.text`, confirm.text, L.confirmText);
      textObject(`${where}.confirm.confirm`, confirm.confirm, L.confirmButton);
      textObject(`${where}.confirm.deny`, confirm.deny, L.confirmButton);
    }
  };
  const blocks = (where: string, list: unknown, max: number) => {
    if (!Array.isArray(list)) return;
    if (list.length > max) problems.push(`${where}: ${list.length} blocks, limit ${max}`);
    list.forEach((raw, index) => {
      const block = raw as Json;
      const at = `${where}[${index}] (${String(block.type)})`;
      tooLong(`${at}.block_id`, block.block_id, L.blockId);
      switch (block.type) {
        case "header":
          textObject(`${at}.text`, block.text, L.headerText);
          break;
        case "section": {
          if (!block.text && !block.fields) problems.push(`${at}: neither text nor fields`);
          if (block.text) textObject(`${at}.text`, block.text, L.sectionText);
          const fields = (block.fields as unknown[] | undefined) ?? [];
          if (fields.length > L.sectionFields)
            problems.push(`${at}.fields: ${fields.length}, limit ${L.sectionFields}`);
          fields.forEach((field, fieldIndex) => {
            textObject(`${at}.fields[${fieldIndex}]`, field, L.sectionFieldText);
          });
          break;
        }
        case "context": {
          const elements = (block.elements as Json[] | undefined) ?? [];
          if (elements.length === 0 || elements.length > L.contextElements) {
            problems.push(`${at}.elements: ${elements.length}, must be 1 to ${L.contextElements}`);
          }
          elements.forEach((element, elementIndex) => {
            if (element.type !== "image")
              textObject(`${at}.elements[${elementIndex}]`, element, Number.POSITIVE_INFINITY);
          });
          break;
        }
        case "actions": {
          const elements = (block.elements as Json[] | undefined) ?? [];
          if (elements.length === 0 || elements.length > L.actionsElements) {
            problems.push(`${at}.elements: ${elements.length}, must be 1 to ${L.actionsElements}`);
          }
          elements.forEach((element, elementIndex) => {
            if (element.type === "button") button(`${at}.elements[${elementIndex}]`, element);
          });
          break;
        }
        case "input": {
          textObject(`${at}.label`, block.label, L.inputLabel);
          if (block.hint) textObject(`${at}.hint`, block.hint, L.inputHint);
          const element = block.element as Json;
          tooLong(`${at}.element.action_id`, element?.action_id, L.actionId);
          if (element?.placeholder)
            textObject(`${at}.element.placeholder`, element.placeholder, L.placeholder);
          const options = (element?.options as Json[] | undefined) ?? [];
          if (options.length > L.selectOptions)
            problems.push(`${at}.element.options: ${options.length}, limit ${L.selectOptions}`);
          options.forEach((option, optionIndex) => {
            textObject(`${at}.element.options[${optionIndex}].text`, option.text, L.optionText);
            tooLong(`${at}.element.options[${optionIndex}].value`, option.value, L.optionValue);
          });
          break;
        }
      }
    });
  };

  tooLong("text", payload.text, L.messageText);
  blocks("blocks", payload.blocks, L.messageBlocks);
  const view = payload.view as Json | undefined;
  if (view) {
    textObject("view.title", view.title, L.modalTitle);
    if (view.submit) textObject("view.submit", view.submit, L.modalButton);
    if (view.close) textObject("view.close", view.close, L.modalButton);
    tooLong("view.private_metadata", view.private_metadata, L.privateMetadata);
    tooLong("view.callback_id", view.callback_id, L.callbackId);
    blocks("view.blocks", view.blocks, L.modalBlocks);
  }
  return problems;
}

/** Throws with every broken limit: for tests that build a card or view directly. */
export function assertWithinBlockKitLimits<T extends { text?: unknown; blocks?: unknown; view?: unknown }>(
  payload: T,
): T {
  const problems = blockKitProblems(payload);
  if (problems.length > 0) throw new Error(`Block Kit limits broken:\n${problems.join("\n")}`);
  return payload;
}
