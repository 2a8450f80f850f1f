const ZH_NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 一级卡, 二级卡 …: layer 1 received the victim's money directly, layer n+1 from layer n. */
export function layerNameZh(layer: number): string {
  return `${ZH_NUMERALS[layer] ?? String(layer)}级卡`;
}
