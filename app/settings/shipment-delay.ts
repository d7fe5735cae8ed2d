/** The days without a carrier scan a merchant may choose before a shipment counts as delayed (Track Settings). */
export const SHIPMENT_DELAY_DAYS = { min: 1, max: 30 } as const;
