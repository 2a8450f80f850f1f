declare module 'svg-to-pdfkit' {
  /** Draws an SVG document (as XML text) into a PDFKit document at (x, y). */
  export default function SVGtoPDF(
    doc: PDFKit.PDFDocument,
    svg: string,
    x: number,
    y: number,
    options?: {
      width?: number;
      height?: number;
      preserveAspectRatio?: string;
      assumePt?: boolean;
      fontCallback?: (family: string, isBold: boolean, isItalic: boolean) => string;
      warningCallback?: (message: string) => void;
    },
  ): void;
}
