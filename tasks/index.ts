export const taskDeclarations = [];
